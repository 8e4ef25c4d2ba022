using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Tests.Archive;

public sealed class BinlogChainTests
{
    private const string Location = "file:/backups";
    private static readonly DateTimeOffset BackupAt = At("13:00:05");

    [Fact]
    public void A_chain_crosses_a_failover_with_reused_names_and_overlapping_files()
    {
        // mysql-0 was primary up to 0-1-120; mysql-1, its replica, took over and wrote its own
        // mysql-bin.000001 holding 0-1-111..120 (replicated) and then its own 0-2-121..130.
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "", "0-1-100", "13:00:00", "13:10:00"),
            File("mysql-0", "mysql-bin.000002", "0-1-100", "0-1-120", "13:10:00", "13:20:00"),
            File("mysql-1", "mysql-bin.000001", "0-1-110", "0-2-130", "13:20:01", "13:30:00"),
            File("mysql-1", "mysql-bin.000002", "0-2-130", "0-2-140", "13:30:00", "13:40:00"),
        };

        var plan = Plan(archived, "0-1-90", new RestoreTarget.Latest());

        Assert.Null(plan.Refusal);
        Assert.Equal(
            [
                ("mysql-0", "mysql-bin.000001", "0-1-90"),
                ("mysql-0", "mysql-bin.000002", "0-1-100"),
                ("mysql-1", "mysql-bin.000001", "0-1-120"),
                ("mysql-1", "mysql-bin.000002", "0-2-130"),
            ],
            plan.Steps.Select(s => (s.File.Pod, s.File.File, s.From.Text))
        );
        Assert.Equal("0-2-140", plan.Reached.Text);
    }

    [Fact]
    public void Among_overlapping_files_the_one_reaching_furthest_is_taken()
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000002", "0-1-100", "0-1-120", "13:10:00", "13:20:00"),
            File("mysql-1", "mysql-bin.000001", "0-1-95", "0-2-130", "13:20:01", "13:30:00"),
        };

        var plan = Plan(archived, "0-1-100", new RestoreTarget.Latest());

        Assert.Equal(["mysql-1"], plan.Steps.Select(s => s.File.Pod));
        Assert.Equal("0-2-130", plan.Reached.Text);
    }

    [Fact]
    public void A_gap_is_refused_in_one_line_naming_it()
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "0-1-100", "0-1-120", "13:00:00", "13:20:00"),
            File("mysql-1", "mysql-bin.000001", "0-2-130", "0-2-140", "13:30:00", "13:40:00"),
        };

        var plan = Plan(archived, "0-1-100", new RestoreTarget.ToTime(At("13:35:00")));

        Assert.Equal(
            "the archive has no binlog from 0-1-120 to 0-2-130 (mysql-bin.000001 of mysql-1 starts there): cannot replay across it; restore to a point before 0-1-120 or take a new full backup",
            plan.Refusal
        );
        Assert.Empty(plan.Steps);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("gtid")]
    public void A_gap_is_refused_for_latest_and_for_a_gtid_beyond_it(string kind)
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "0-1-100", "0-1-120", "13:00:00", "13:20:00"),
            File("mysql-1", "mysql-bin.000001", "0-2-130", "0-2-140", "13:30:00", "13:40:00"),
        };
        RestoreTarget target =
            kind == "latest"
                ? new RestoreTarget.Latest()
                : new RestoreTarget.ToGtid(Position("0-2-135"));

        var plan = Plan(archived, "0-1-100", target);

        Assert.StartsWith(
            "the archive has no binlog from 0-1-120 to 0-2-130",
            plan.Refusal,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void A_target_after_the_last_archived_event_is_refused_naming_the_window()
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "0-1-100", "0-1-120", "13:00:00", "13:59:41"),
        };

        var plan = Plan(archived, "0-1-100", new RestoreTarget.ToTime(At("14:03:00")));

        Assert.Equal(
            "--to-time 2026-12-07T14:03:00Z is outside the recoverable window 2026-12-07T13:00:05Z .. 2026-12-07T13:59:41Z of file:/backups",
            plan.Refusal
        );
    }

    [Fact]
    public void A_gtid_after_everything_archived_is_refused_naming_the_window()
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "0-1-100", "0-1-120", "13:00:00", "13:59:41"),
        };

        var plan = Plan(archived, "0-1-100", new RestoreTarget.ToGtid(Position("0-1-121")));

        Assert.Equal(
            "--to-gtid 0-1-121 is outside the recoverable window 0-1-100 .. 0-1-120 of file:/backups",
            plan.Refusal
        );
    }

    [Theory]
    [InlineData("time")]
    [InlineData("gtid")]
    public void A_target_before_the_backup_is_refused_naming_the_window(string kind)
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "0-1-100", "0-1-120", "13:00:00", "13:59:41"),
        };
        RestoreTarget target =
            kind == "time"
                ? new RestoreTarget.ToTime(At("12:59:00"))
                : new RestoreTarget.ToGtid(Position("0-1-90"));

        var plan = Plan(archived, "0-1-100", target);

        Assert.Contains(
            "is outside the recoverable window",
            plan.Refusal,
            StringComparison.Ordinal
        );
        Assert.Contains(
            kind == "time" ? "2026-12-07T13:00:05Z .. 2026-12-07T13:59:41Z" : "0-1-100 .. 0-1-120",
            plan.Refusal,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void A_time_target_stops_with_the_first_file_whose_last_event_reaches_it()
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "0-1-100", "0-1-110", "13:00:00", "13:10:00"),
            File("mysql-0", "mysql-bin.000002", "0-1-110", "0-1-120", "13:10:00", "13:20:00"),
            File("mysql-0", "mysql-bin.000003", "0-1-120", "0-1-130", "13:20:00", "13:30:00"),
        };

        var plan = Plan(archived, "0-1-100", new RestoreTarget.ToTime(At("13:15:00")));

        Assert.Null(plan.Refusal);
        Assert.Equal(["mysql-bin.000001", "mysql-bin.000002"], plan.Steps.Select(s => s.File.File));
    }

    [Fact]
    public void A_gtid_target_in_the_middle_of_a_file_ends_the_chain_with_that_file()
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "0-1-100", "0-1-110", "13:00:00", "13:10:00"),
            File("mysql-0", "mysql-bin.000002", "0-1-110", "0-1-120", "13:10:00", "13:20:00"),
            File("mysql-0", "mysql-bin.000003", "0-1-120", "0-1-130", "13:20:00", "13:30:00"),
        };

        var plan = Plan(archived, "0-1-100", new RestoreTarget.ToGtid(Position("0-1-115")));

        Assert.Null(plan.Refusal);
        Assert.Equal(
            [("mysql-bin.000001", "0-1-100"), ("mysql-bin.000002", "0-1-110")],
            plan.Steps.Select(s => (s.File.File, s.From.Text))
        );
    }

    [Fact]
    public void Latest_with_nothing_archived_after_the_backup_replays_nothing()
    {
        var archived = new[]
        {
            File("mysql-0", "mysql-bin.000001", "", "0-1-100", "12:00:00", "12:10:00"),
        };

        var plan = Plan(archived, "0-1-100", new RestoreTarget.Latest());

        Assert.Null(plan.Refusal);
        Assert.Empty(plan.Steps);
        Assert.Equal("0-1-100", plan.Reached.Text);
    }

    [Fact]
    public void The_first_file_must_start_at_or_before_the_backup_and_end_beyond_it()
    {
        var archived = new[]
        {
            // Ends before the backup: adds nothing.
            File("mysql-0", "mysql-bin.000001", "", "0-1-100", "12:00:00", "12:10:00"),
            // Starts after the backup: a gap.
            File("mysql-0", "mysql-bin.000003", "0-1-105", "0-1-120", "13:10:00", "13:20:00"),
        };

        var plan = Plan(archived, "0-1-100", new RestoreTarget.Latest());

        Assert.StartsWith(
            "the archive has no binlog from 0-1-100 to 0-1-105 (mysql-bin.000003 of mysql-0",
            plan.Refusal,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Files_of_the_other_flavour_are_ignored()
    {
        var mysql = File("mysql-0", "mysql-bin.000001", "", "", "13:00:00", "13:10:00") with
        {
            Flavour = "mysql",
            StartGtid = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
            EndGtid = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9",
        };

        var plan = Plan([mysql], "0-1-100", new RestoreTarget.Latest());

        Assert.Null(plan.Refusal);
        Assert.Empty(plan.Steps);
    }

    private static BinlogChainPlan Plan(
        IEnumerable<BinlogManifest> archived,
        string start,
        RestoreTarget target
    ) => BinlogChain.Plan(archived, Position(start), BackupAt, target, Location);

    private static BinlogCoverage Position(string text) => BinlogCoverage.Parse("mariadb", text);

    private static DateTimeOffset At(string time) =>
        DateTimeOffset.Parse(
            "2026-12-07T" + time + "Z",
            System.Globalization.CultureInfo.InvariantCulture
        );

    private static BinlogManifest File(
        string pod,
        string file,
        string start,
        string end,
        string first,
        string last
    ) => TestManifests.Binlog($"{pod}-{file}-{start}", pod, file, start, end, At(first), At(last));
}
