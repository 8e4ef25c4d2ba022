using MysqlAgent.Commands;
using MysqlAgent.Configuration;

namespace MysqlAgent.Tests.Archive.Schedule;

public sealed class ScheduleOptionTests
{
    [Theory]
    [InlineData(
        new[] { "--target", "file:/b", "--backup-schedule", "0 25 * * *" },
        "--backup-schedule '0 25 * * *' is not a 5-field cron expression"
    )]
    [InlineData(
        new[]
        {
            "--target",
            "file:/b",
            "--backup-schedule",
            "0 3 * * *",
            "--backup-schedule-time-zone",
            "Europe/Nowhere",
        },
        "--backup-schedule-time-zone 'Europe/Nowhere' is not an IANA time zone id: e.g. Europe/Berlin or UTC"
    )]
    [InlineData(new[] { "--backup-schedule", "0 3 * * *" }, "--backup-schedule needs --target")]
    [InlineData(
        new[] { "--backup-schedule-time-zone", "Europe/Berln" },
        "--backup-schedule-time-zone 'Europe/Berln' is not an IANA time zone id"
    )]
    public async Task A_bad_schedule_is_refused_at_startup_with_one_line(
        string[] arguments,
        string expected
    )
    {
        using var stderr = new StringWriter();
        var code = await AgentCommandLine.RunAsync(
            ["serve", "--hostname", "mysql-0", .. arguments],
            TextWriter.Null,
            stderr,
            _ => null,
            default
        );
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(
            stderr.ToString().Split('\n'),
            l => l.Contains(expected, StringComparison.Ordinal)
        );
    }

    [Fact]
    public void A_good_schedule_is_read_with_its_zone()
    {
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(
                [
                    "--hostname",
                    "mysql-0",
                    "--target",
                    "file:/b",
                    "--backup-schedule",
                    "0 3 * * *",
                    "--backup-schedule-time-zone",
                    "Europe/Berlin",
                ],
                _ => null
            )
        );
        Assert.NotNull(options.BackupSchedule);
        Assert.Equal("Europe/Berlin", options.BackupSchedule.Zone.Id);
        Assert.Equal("'0 3 * * *' in Europe/Berlin", options.BackupSchedule.ToString());
    }

    [Fact]
    public void Without_a_schedule_there_is_none()
    {
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(["--hostname", "mysql-0"], _ => null)
        );
        Assert.Null(options.BackupSchedule);
    }
}
