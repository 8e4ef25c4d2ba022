using MysqlAgent.Archive.Schedule;

namespace MysqlAgent.Tests.Archive.Schedule;

public sealed class BackupScheduleTests
{
    private static BackupSchedule Parse(string cron, string? zone = null)
    {
        var schedule = BackupSchedule.Parse(cron, zone, out var problem);
        Assert.Null(problem);
        return schedule!;
    }

    private static DateTimeOffset Utc(string text) =>
        DateTimeOffset.Parse(text, null, System.Globalization.DateTimeStyles.AssumeUniversal);

    [Theory]
    // Every minute: the next minute boundary, strictly after.
    [InlineData("* * * * *", "UTC", "2026-12-07T14:03:00Z", "2026-12-07T14:04:00Z")]
    [InlineData("* * * * *", "UTC", "2026-12-07T14:03:59Z", "2026-12-07T14:04:00Z")]
    [InlineData("0 3 * * *", "UTC", "2026-12-07T14:03:00Z", "2026-12-08T03:00:00Z")]
    // Berlin in winter is UTC+1, in summer UTC+2.
    [InlineData("0 3 * * *", "Europe/Berlin", "2026-12-07T14:00:00Z", "2026-12-08T02:00:00Z")]
    [InlineData("0 3 * * *", "Europe/Berlin", "2026-07-01T12:00:00Z", "2026-07-02T01:00:00Z")]
    // Spring forward (29 March 2026, 02:00 CET -> 03:00 CEST): 02:30 does not exist; it runs once, at the change.
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z")]
    // Fall back (25 October 2026, 03:00 CEST -> 02:00 CET): 02:30 happens twice; it runs once, the first time.
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z")]
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z")]
    public void The_next_tick_is_read_in_the_zone_across_DST_changes(
        string cron,
        string zone,
        string after,
        string next
    ) => Assert.Equal(Utc(next), Parse(cron, zone).Next(Utc(after)));

    [Fact]
    public void The_previous_tick_is_the_last_at_or_before_the_time()
    {
        var schedule = Parse("0 3 * * *", "Europe/Berlin");
        Assert.Equal(Utc("2026-12-07T02:00:00Z"), schedule.Previous(Utc("2026-12-07T02:00:00Z")));
        Assert.Equal(Utc("2026-12-07T02:00:00Z"), schedule.Previous(Utc("2026-12-07T14:00:00Z")));
    }

    [Fact]
    public void Ticks_between_two_times_exclude_the_first_and_include_the_last()
    {
        var ticks = Parse("*/15 * * * *")
            .Between(Utc("2026-12-07T14:00:00Z"), Utc("2026-12-07T14:45:00Z"));
        Assert.Equal(
            ["20261207T141500Z", "20261207T143000Z", "20261207T144500Z"],
            ticks.Select(BackupSchedule.TickId)
        );
    }

    [Theory]
    [InlineData("* * * * *", 60)]
    [InlineData("*/15 * * * *", 900)]
    [InlineData("0 * * * *", 3600)]
    [InlineData("0 3 * * *", 3600)]
    public void A_tick_may_be_late_by_its_period_at_most_an_hour(string cron, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Parse(cron).Grace(Utc("2026-12-07T03:00:00Z")));

    [Fact]
    public void A_tick_id_is_its_UTC_time_and_reads_back()
    {
        var tick = new DateTimeOffset(2026, 12, 7, 4, 0, 0, TimeSpan.FromHours(2));
        var id = BackupSchedule.TickId(tick);
        Assert.Equal("20261207T020000Z", id);
        Assert.True(BackupSchedule.TryParseTick(id, out var back));
        Assert.Equal(tick, back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("20261207T020000")]
    [InlineData("2026-12-07T02:00:00Z")]
    [InlineData("20261307T020000Z")]
    [InlineData("20261207T020000Z/../x")]
    public void Anything_else_is_no_tick_id(string? id) =>
        Assert.False(BackupSchedule.TryParseTick(id, out _));

    [Theory]
    [InlineData("* * *", null, "--backup-schedule '* * *' is not a 5-field cron expression")]
    [InlineData("61 * * * *", null, "--backup-schedule '61 * * * *' is not a 5-field cron")]
    [InlineData("0 3 * * * *", null, "--backup-schedule '0 3 * * * *'")]
    [InlineData(
        "0 3 * * *",
        "Mars/Olympus",
        "--backup-schedule-time-zone 'Mars/Olympus' is not an IANA time zone id"
    )]
    [InlineData("0 3 * * *", "Berlin", "--backup-schedule-time-zone 'Berlin'")]
    public void A_bad_expression_or_zone_is_one_line_naming_the_option_and_an_example(
        string cron,
        string? zone,
        string expected
    )
    {
        Assert.Null(BackupSchedule.Parse(cron, zone, out var problem));
        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.Contains("e.g.", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }
}
