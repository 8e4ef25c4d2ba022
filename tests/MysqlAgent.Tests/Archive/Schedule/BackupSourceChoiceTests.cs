using MysqlAgent.Archive.Schedule;
using MysqlAgent.Clone;

namespace MysqlAgent.Tests.Archive.Schedule;

public sealed class BackupSourceChoiceTests
{
    private static PeerReport Replica(int ordinal, double? lag, bool ready = true) =>
        new(
            ordinal,
            new PeerStatus
            {
                Ready = ready,
                Role = "replica",
                LagSeconds = lag,
            }
        );

    private static IEnumerable<int> Order(params PeerReport[] peers) =>
        BackupSourceChoice.Order(0, peers).Select(s => s.Ordinal);

    [Fact]
    public void The_ready_replica_with_the_least_lag_comes_first_and_the_primary_last() =>
        Assert.Equal([2, 1, 0], Order(Replica(1, 5), Replica(2, 0)));

    [Fact]
    public void Equal_lag_goes_to_the_lower_ordinal() =>
        Assert.Equal([1, 2, 0], Order(Replica(2, 1), Replica(1, 1)));

    [Fact]
    public void Unknown_lag_comes_after_known_lag() =>
        Assert.Equal([2, 1, 0], Order(Replica(1, null), Replica(2, 30)));

    [Fact]
    public void Without_a_ready_replica_the_primary_takes_it_itself()
    {
        var order = BackupSourceChoice.Order(
            0,
            [Replica(1, 0, ready: false), new PeerReport(2, null)]
        );
        var only = Assert.Single(order);
        Assert.True(only.IsSelf);
        Assert.Equal(0, only.Ordinal);
    }

    [Fact]
    public void A_peer_that_says_it_is_the_primary_or_runs_a_backup_is_never_asked()
    {
        var primary = new PeerReport(1, new PeerStatus { Ready = true, Role = "primary" });
        var busy = new PeerReport(
            2,
            new PeerStatus
            {
                Ready = true,
                Role = "replica",
                LagSeconds = 0,
                Backup = new BackupStatusDocument
                {
                    Running = new BackupRunningDocument { Tick = "20261207T020000Z", Id = "x" },
                },
            }
        );
        Assert.Equal([3, 0], Order(primary, busy, Replica(3, 9)));
    }

    [Fact]
    public void The_primary_may_be_any_ordinal_after_a_failover() =>
        Assert.Equal(
            [0, 2, 1],
            BackupSourceChoice.Order(1, [Replica(0, 1), Replica(2, 4)]).Select(s => s.Ordinal)
        );

    [Fact]
    public void Each_place_says_why()
    {
        var order = BackupSourceChoice.Order(0, [Replica(1, 2.5)]);
        Assert.Equal("ready replica, lag 2.5 s", order[0].Why);
        Assert.Contains("primary itself", order[1].Why, StringComparison.Ordinal);
    }

    private static PeerStatus Running(string tick) =>
        new()
        {
            Ready = true,
            Role = "replica",
            Backup = new BackupStatusDocument
            {
                Running = new BackupRunningDocument { Tick = tick, Id = "b-" + tick },
            },
        };

    [Fact]
    public void A_tick_that_a_pod_runs_already_is_taken()
    {
        var (verdict, why) = BackupSourceChoice.Busy(
            "20261207T030000Z",
            "mysql-0",
            null,
            [("mysql-1", null), ("mysql-2", Running("20261207T030000Z"))]
        );
        Assert.Equal(BusyVerdict.Running, verdict);
        Assert.Equal("it runs on mysql-2", why);
    }

    [Fact]
    public void A_tick_that_comes_while_an_older_one_still_runs_anywhere_waits_for_none()
    {
        var (verdict, why) = BackupSourceChoice.Busy(
            "20261207T031500Z",
            "mysql-0",
            new BackupRunningDocument { Tick = "20261207T030000Z", Id = "b-0300" },
            [("mysql-1", new PeerStatus { Ready = true, Role = "replica" })]
        );
        Assert.Equal(BusyVerdict.Older, verdict);
        Assert.StartsWith(
            "backup b-0300 of tick 20261207T030000Z still runs on mysql-0",
            why,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void With_no_backup_running_the_tick_may_start() =>
        Assert.Equal(
            BusyVerdict.Free,
            BackupSourceChoice
                .Busy("20261207T030000Z", "mysql-0", null, [("mysql-1", null)])
                .Verdict
        );
}
