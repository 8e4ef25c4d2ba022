using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Archive.Retention;

namespace MysqlAgent.Tests.Archive.Retention;

public sealed class RetentionPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_backup_goes_only_when_it_is_beyond_the_newest_count_and_older_than_the_age()
    {
        // Daily backups, the newest yesterday.
        var backups = Enumerable
            .Range(1, 10)
            .Select(d => Backup($"b{d:00}", Now.AddDays(d - 11), $"0-1-{d * 10}"))
            .ToList();

        var plan = RetentionPlan.Decide(
            backups,
            [],
            Now,
            keepBackups: 3,
            keepAge: TimeSpan.FromDays(5)
        );

        // Younger than five days: four backups, more than the three by count; b06 is exactly five days old.
        Assert.Equal(["b07", "b08", "b09", "b10"], plan.Kept.Select(b => b.Id));
        Assert.Equal(
            ["b01", "b02", "b03", "b04", "b05", "b06"],
            plan.DeletedBackups.Select(b => b.Id)
        );
    }

    [Fact]
    public void A_schedule_that_stopped_long_ago_keeps_its_newest_backups_by_count()
    {
        var backups = Enumerable
            .Range(1, 5)
            .Select(d => Backup($"b{d}", Now.AddDays(-100 + d), $"0-1-{d}"))
            .ToList();

        var plan = RetentionPlan.Decide(
            backups,
            [],
            Now,
            keepBackups: 2,
            keepAge: TimeSpan.FromDays(7)
        );

        Assert.Equal(["b4", "b5"], plan.Kept.Select(b => b.Id));
    }

    [Fact]
    public void Age_zero_keeps_by_count_only_and_the_newest_backup_always_stays()
    {
        var backups = new[]
        {
            Backup("old", Now.AddDays(-2), "0-1-5"),
            Backup("new", Now.AddDays(-1), "0-1-9"),
        };

        var plan = RetentionPlan.Decide(backups, [], Now, keepBackups: 1, keepAge: TimeSpan.Zero);

        Assert.Equal(["new"], plan.Kept.Select(b => b.Id));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            RetentionPlan.Decide(backups, [], Now, 0, TimeSpan.Zero)
        );
    }

    [Fact]
    public void Binlogs_that_end_within_the_oldest_kept_backup_go_and_every_one_a_restore_replays_stays()
    {
        var backups = new[]
        {
            Backup("old", Now.AddDays(-30), "0-1-10"),
            Backup("kept", Now.AddDays(-1), "0-1-50"),
        };
        var binlogs = new[]
        {
            Binlog("a", "", "0-1-20"),
            Binlog("b", "0-1-20", "0-1-50"),
            // the file the kept backup's position falls in, and what follows: a restore replays them
            Binlog("c", "0-1-50", "0-1-51"),
            Binlog("d", "0-1-45", "0-1-60"),
            // after a failover, a new server id continues the domain's sequence
            Binlog("e", "0-1-60", "0-2-70"),
        };

        var plan = RetentionPlan.Decide(
            backups,
            binlogs,
            Now,
            keepBackups: 1,
            keepAge: TimeSpan.Zero
        );

        Assert.Equal(["old"], plan.DeletedBackups.Select(b => b.Id));
        Assert.Equal(["a", "b"], plan.DeletedBinlogs.Select(b => b.Id));
        Assert.Null(plan.BinlogsKeptBecause);
    }

    [Theory]
    [InlineData(null, "has no GTID position")]
    [InlineData("", "has no GTID position")]
    [InlineData("not-a-gtid", "does not parse")]
    public void Without_a_usable_position_in_the_oldest_kept_backup_no_binlog_is_deleted(
        string? gtid,
        string reason
    )
    {
        var backups = new[] { Backup("kept", Now.AddDays(-1), gtid) };

        var plan = RetentionPlan.Decide(
            backups,
            [Binlog("a", "", "0-1-20")],
            Now,
            1,
            TimeSpan.Zero
        );

        Assert.Empty(plan.DeletedBinlogs);
        Assert.Contains(reason, plan.BinlogsKeptBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_backup_nothing_is_deleted()
    {
        var plan = RetentionPlan.Decide([], [Binlog("a", "", "0-1-20")], Now, 1, TimeSpan.Zero);

        Assert.Empty(plan.DeletedBinlogs);
        Assert.Equal("there is no backup", plan.BinlogsKeptBecause);
    }

    [Fact]
    public void Binlogs_of_another_flavour_are_left_alone()
    {
        var mysql = Binlog("m", "", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5") with
        {
            Flavour = "mysql",
        };

        var plan = RetentionPlan.Decide(
            [Backup("kept", Now, "0-1-50")],
            [mysql],
            Now,
            1,
            TimeSpan.Zero
        );

        Assert.Empty(plan.DeletedBinlogs);
    }

    private static BackupManifest Backup(string id, DateTimeOffset finished, string? gtid) =>
        TestManifests.Backup(id, finished, gtid);

    private static BinlogManifest Binlog(string id, string start, string end) =>
        TestManifests.Binlog(id, "mysql-0", "mysql-bin.000001", start, end, Now, Now);
}
