using MysqlAgent.Archive.Schedule;

namespace MysqlAgent.Tests.Archive.Schedule;

/// <summary>The once-per-tick rule: what is taken, skipped and missed, and when.</summary>
public sealed class ScheduleTurnTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private static BackupSchedule Schedule(string cron) =>
        BackupSchedule.Parse(cron, "UTC", out _)!;

    private static DateTimeOffset At(string hhmmss) =>
        Start.Date.Add(TimeSpan.Parse(hhmmss, System.Globalization.CultureInfo.InvariantCulture));

    private static TickPlan Decide(
        string cron,
        ScheduleState state,
        DateTimeOffset now,
        params string[] taken
    )
    {
        var schedule = Schedule(cron);
        return ScheduleTurn.Decide(
            schedule,
            ScheduleTurn.Due(schedule, state, now),
            now,
            taken.ToDictionary(t => t, t => "backup-of-" + t),
            state.Since
        );
    }

    [Fact]
    public void A_tick_that_just_passed_and_that_no_backup_names_is_taken()
    {
        var plan = Decide("0 3 * * *", ScheduleState.Start(Start), At("03:00:02"));
        Assert.Equal(At("03:00:00"), plan.Take);
        Assert.Empty(plan.Missed);
    }

    [Fact]
    public void A_tick_that_a_backup_names_is_skipped_not_taken_again()
    {
        var plan = Decide(
            "0 3 * * *",
            ScheduleState.Start(Start),
            At("03:00:02"),
            "20261207T030000Z"
        );
        Assert.Null(plan.Take);
        var (tick, why) = Assert.Single(plan.Skipped);
        Assert.Equal(At("03:00:00"), tick);
        Assert.Equal("already taken as backup-of-20261207T030000Z", why);
    }

    [Fact]
    public void A_decided_tick_is_not_looked_at_again()
    {
        var state = ScheduleState.Start(Start).DecidedOn(At("03:00:00"));
        Assert.Equal(TickPlan.Nothing, Decide("0 3 * * *", state, At("03:00:04")));
    }

    [Fact]
    public void A_new_primary_takes_a_daily_tick_up_to_an_hour_late_and_no_later()
    {
        // The agent ran since 01:00 as a replica; it becomes the primary after the 03:00 tick.
        var state = ScheduleState.Start(Start);
        Assert.Equal(At("03:00:00"), Decide("0 3 * * *", state, At("03:59:59")).Take);

        var late = Decide("0 3 * * *", state, At("04:00:00"));
        Assert.Null(late.Take);
        var (tick, why) = Assert.Single(late.Missed);
        Assert.Equal(At("03:00:00"), tick);
        Assert.Contains("beyond its grace of 3600 s", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tick_older_than_two_hours_is_neither_taken_nor_reported()
    {
        Assert.Single(Decide("0 3 * * *", ScheduleState.Start(Start), At("04:59:59")).Missed);
        Assert.Equal(
            TickPlan.Nothing,
            Decide("0 3 * * *", ScheduleState.Start(Start), At("05:00:00"))
        );
    }

    [Fact]
    public void With_a_short_period_only_the_newest_tick_is_taken_and_the_ones_it_overtook_are_missed()
    {
        // A failover from 03:00:30 to 03:03:10 on an every-minute schedule.
        var state = ScheduleState.Start(Start).DecidedOn(At("03:00:00"));
        var plan = Decide("* * * * *", state, At("03:03:10"), "20261207T030200Z");
        Assert.Equal(At("03:03:00"), plan.Take);
        Assert.Equal(["20261207T030100Z"], plan.Missed.Select(m => BackupSchedule.TickId(m.Tick)));

        plan = Decide("* * * * *", state, At("03:03:10"), "20261207T030300Z");
        Assert.Null(plan.Take);
        Assert.Equal(2, plan.Missed.Count);
        Assert.Single(plan.Skipped);

        plan = Decide("* * * * *", state, At("03:03:10"));
        Assert.Equal(At("03:03:00"), plan.Take);
        Assert.Equal(2, plan.Missed.Count);
    }

    [Fact]
    public void An_every_minute_tick_is_missed_once_the_next_one_is_due()
    {
        var state = ScheduleState.Start(Start).DecidedOn(At("02:59:00"));
        var plan = Decide("* * * * *", state, At("03:00:59.9"));
        Assert.Equal(At("03:00:00"), plan.Take);
    }

    [Fact]
    public void Ticks_before_the_agent_started_are_not_reported_as_missed()
    {
        // A new set at 03:02:30 with an every-minute schedule: the last hour's ticks were nobody's.
        var state = ScheduleState.Start(At("03:02:30"));
        var plan = Decide("* * * * *", state, At("03:02:31"));
        Assert.Equal(At("03:02:00"), plan.Take);
        Assert.Empty(plan.Missed);
    }
}
