using MysqlAgent.Health;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Tests.Health;

/// <summary>
/// Readiness once heartbeats reach a replica: measured staleness decides, and an IO thread that is
/// connecting to a lost primary is reported but does not make the replica unready by itself.
/// </summary>
public sealed class StalenessReadinessTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly ReplicaSnapshot Running = new(
        SourceHost: "mysql-0.mysql",
        SourcePort: 3306,
        IoThread: "Yes",
        SqlThread: "Yes",
        LagSeconds: 0,
        LastIoErrorNumber: 0,
        LastIoError: "",
        LastSqlErrorNumber: 0,
        LastSqlError: ""
    );

    private static readonly ReplicaSnapshot Connecting = Running with
    {
        IoThread = "Connecting",
        LagSeconds = null,
        LastIoErrorNumber = 2003,
        LastIoError = "Can't connect to server on 'mysql-0.mysql' (111)",
    };

    private static readonly ReplicationSetupSnapshot Done = new(ReplicationSetupState.Done, "", At);

    private static NodeSnapshot Replica(
        ReplicaSnapshot replica,
        double? staleSeconds,
        double? unreachableSeconds = null
    ) =>
        new()
        {
            CheckedAt = At,
            MysqldUp = true,
            Flavor = "mariadb",
            Version = "10.11.19",
            ServerId = 101,
            ReadOnly = true,
            Replica = replica,
            HeartbeatAt = staleSeconds is { } s ? At.AddSeconds(-s) : null,
            SourceUnreachableSince = unreachableSeconds is { } u ? At.AddSeconds(-u) : null,
        };

    // name -> (node, setup, --heartbeat-interval, --max-lag-seconds, ordinal, expected /readyz line)
    private static readonly Dictionary<
        string,
        (
            NodeSnapshot Node,
            ReplicationSetupSnapshot Setup,
            int Heartbeat,
            int MaxLag,
            int Ordinal,
            string Line
        )
    > Cases = new()
    {
        ["fresh replica"] = (
            Replica(Running, 0.4),
            Done,
            1,
            30,
            1,
            "ready: replica, stale 0.4 s of 30 s"
        ),
        ["source lost, data still fresh enough"] = (
            Replica(Connecting, 12.4, 12),
            Done,
            1,
            30,
            1,
            "ready: replica, source unreachable for 12 s (error 2003: Can't connect to server on 'mysql-0.mysql' (111)), stale 12.4 s of 30 s"
        ),
        ["source hung, IO thread reconnecting without an error yet"] = (
            Replica(Connecting with { LastIoErrorNumber = 0, LastIoError = "" }, 6.1, 1),
            Done,
            1,
            30,
            2,
            "ready: replica, source unreachable for 1 s, stale 6.1 s of 30 s"
        ),
        ["source lost for longer than the bound"] = (
            Replica(Connecting, 31.24, 27),
            Done,
            1,
            30,
            1,
            "not ready: stale 31.2 s exceeds --max-lag-seconds 30; source unreachable for 27 s (error 2003: Can't connect to server on 'mysql-0.mysql' (111))"
        ),
        ["exactly at the bound"] = (
            Replica(Running, 30),
            Done,
            1,
            30,
            1,
            "ready: replica, stale 30.0 s of 30 s"
        ),
        ["applier behind with both threads running"] = (
            Replica(Running with { LagSeconds = 44 }, 45),
            Done,
            1,
            30,
            1,
            "not ready: stale 45.0 s exceeds --max-lag-seconds 30"
        ),
        ["Seconds_Behind_Source high but the heartbeat is fresh"] = (
            Replica(Running with { LagSeconds = 100 }, 0.8),
            Done,
            1,
            30,
            1,
            "ready: replica, stale 0.8 s of 30 s"
        ),
        ["an old IO error while the IO thread runs again"] = (
            Replica(Running with { LastIoErrorNumber = 2013, LastIoError = "Lost connection" }, 1),
            Done,
            1,
            30,
            1,
            "ready: replica, stale 1.0 s of 30 s"
        ),
        ["SQL thread stopped with an error"] = (
            Replica(
                Running with
                {
                    SqlThread = "No",
                    LastSqlErrorNumber = 1062,
                    LastSqlError = "Duplicate entry '1' for key 'PRIMARY'",
                },
                0.5
            ),
            Done,
            1,
            30,
            1,
            "not ready: SQL thread stopped (error 1062: Duplicate entry '1' for key 'PRIMARY')"
        ),
        ["SQL thread stopped while the source is lost"] = (
            Replica(Connecting with { SqlThread = "No" }, 3, 2),
            Done,
            1,
            30,
            1,
            "not ready: IO thread connecting (error 2003: Can't connect to server on 'mysql-0.mysql' (111)); SQL thread stopped"
        ),
        ["SQL error reported while the thread runs"] = (
            Replica(
                Running with
                {
                    LastSqlErrorNumber = 1032,
                    LastSqlError = "Can't find record",
                },
                1
            ),
            Done,
            1,
            30,
            1,
            "not ready: replication error 1032: Can't find record"
        ),
        ["IO thread stopped for good"] = (
            Replica(Running with { IoThread = "No" }, 1),
            Done,
            1,
            30,
            1,
            "not ready: IO thread stopped"
        ),
        ["setup failed permanently wins"] = (
            Replica(Running, 0.5),
            new ReplicationSetupSnapshot(ReplicationSetupState.FailedPermanently, "gave up", At),
            1,
            30,
            1,
            "not ready: replication setup failed: gave up"
        ),
        ["before the first heartbeat: today's rules"] = (
            Replica(Connecting, null),
            Done,
            1,
            30,
            1,
            "not ready: IO thread connecting (error 2003: Can't connect to server on 'mysql-0.mysql' (111))"
        ),
        ["before the first heartbeat, healthy: today's rules"] = (
            Replica(Running, null),
            Done,
            1,
            30,
            1,
            "ready: replica, IO and SQL threads running, lag 0 s"
        ),
        ["heartbeats off: today's rules even with a row left from earlier"] = (
            Replica(Connecting, 5, 4),
            Done,
            0,
            30,
            1,
            "not ready: IO thread connecting (error 2003: Can't connect to server on 'mysql-0.mysql' (111))"
        ),
        ["primary: heartbeats change nothing"] = (
            Replica(Running, 0.1) with
            {
                ReadOnly = false,
                Replica = null,
            },
            new ReplicationSetupSnapshot(ReplicationSetupState.NotNeeded, "", At),
            1,
            30,
            0,
            "ready: primary, writable"
        ),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Readiness_follows_staleness_once_heartbeats_arrive(string name)
    {
        var (node, setup, heartbeat, maxLag, ordinal, line) = Cases[name];
        var options = HealthTestOptions.For(
            ordinal,
            maxLag,
            "--heartbeat-interval",
            heartbeat.ToString(System.Globalization.CultureInfo.InvariantCulture)
        );

        var verdict = ReadinessRules.Decide(node, setup, options);

        Assert.Equal(line, verdict.Line);
        Assert.Equal(line.StartsWith("ready:", StringComparison.Ordinal), verdict.Ready);
    }

    [Fact]
    public void Staleness_is_the_age_of_the_newest_heartbeat_and_never_negative()
    {
        Assert.Equal(2.5, Replica(Running, 2.5).StalenessSeconds);
        Assert.Null(Replica(Running, null).StalenessSeconds);
        // The primary's clock ahead of this one: a beat "from the future" counts as fresh, not negative.
        Assert.Equal(0, Replica(Running, -3).StalenessSeconds);
    }
}
