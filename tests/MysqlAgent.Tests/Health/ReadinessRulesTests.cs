using MysqlAgent.Health;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Tests.Health;

public sealed class ReadinessRulesTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly ReplicaSnapshot Healthy = new(
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

    private static readonly NodeSnapshot Up = new()
    {
        CheckedAt = At,
        MysqldUp = true,
        Flavor = "mariadb",
        Version = "10.11.19",
        ServerId = 101,
        ReadOnly = false,
    };

    private static ReplicationSetupSnapshot Setup(
        ReplicationSetupState state,
        string reason = ""
    ) => new(state, reason, At);

    private static readonly ReplicationSetupSnapshot Done = Setup(ReplicationSetupState.Done);

    // name -> (ordinal, node, setup, max lag, expected /readyz line)
    private static readonly Dictionary<
        string,
        (int Ordinal, NodeSnapshot Node, ReplicationSetupSnapshot Setup, int MaxLag, string Line)
    > Cases = new()
    {
        ["mysqld down, primary"] = (
            0,
            NodeSnapshot.Down(At, "Connection refused"),
            Setup(ReplicationSetupState.NotNeeded),
            30,
            "not ready: mysqld does not answer at 127.0.0.1:3306 (Connection refused)"
        ),
        ["mysqld down, replica (checked before replication)"] = (
            1,
            NodeSnapshot.Down(At, "Connection refused"),
            Setup(ReplicationSetupState.FailedPermanently, "bad info file"),
            30,
            "not ready: mysqld does not answer at 127.0.0.1:3306 (Connection refused)"
        ),
        ["mysqld answers but cannot be read"] = (
            1,
            Up with
            {
                Error = "Access denied",
            },
            Done,
            30,
            "not ready: mysqld at 127.0.0.1:3306 answers but cannot be inspected: Access denied"
        ),
        ["primary writable"] = (
            0,
            Up,
            Setup(ReplicationSetupState.NotNeeded),
            30,
            "ready: primary, writable"
        ),
        ["primary writable whatever the setup status says"] = (
            0,
            Up,
            Setup(ReplicationSetupState.Pending),
            30,
            "ready: primary, writable"
        ),
        ["primary read-only"] = (
            0,
            Up with
            {
                ReadOnly = true,
            },
            Setup(ReplicationSetupState.NotNeeded),
            30,
            "not ready: primary is read-only"
        ),
        ["primary super-read-only (MySQL)"] = (
            0,
            Up with
            {
                Flavor = "mysql",
                ReadOnly = false,
                SuperReadOnly = true,
            },
            Setup(ReplicationSetupState.NotNeeded),
            30,
            "not ready: primary is super-read-only"
        ),
        ["replica healthy"] = (
            1,
            Up with
            {
                Replica = Healthy,
            },
            Done,
            30,
            "ready: replica, IO and SQL threads running, lag 0 s"
        ),
        ["replica healthy while the setup code has not reported yet"] = (
            2,
            Up with
            {
                Replica = Healthy with { LagSeconds = 3 },
            },
            Setup(ReplicationSetupState.Pending),
            30,
            "ready: replica, IO and SQL threads running, lag 3 s"
        ),
        ["replica at exactly the lag bound"] = (
            1,
            Up with
            {
                Replica = Healthy with { LagSeconds = 30 },
            },
            Done,
            30,
            "ready: replica, IO and SQL threads running, lag 30 s"
        ),
        ["replica beyond the lag bound"] = (
            1,
            Up with
            {
                Replica = Healthy with { LagSeconds = 45 },
            },
            Done,
            30,
            "not ready: lag 45 s exceeds --max-lag-seconds 30"
        ),
        ["replica with unknown lag"] = (
            1,
            Up with
            {
                Replica = Healthy with { LagSeconds = null },
            },
            Done,
            30,
            "not ready: lag unknown (Seconds_Behind_Source is NULL)"
        ),
        ["replica setup failed"] = (
            1,
            Up,
            Setup(ReplicationSetupState.FailedPermanently, "xtrabackup_binlog_info is empty"),
            30,
            "not ready: replication setup failed: xtrabackup_binlog_info is empty"
        ),
        ["replica setup failed wins over running threads"] = (
            1,
            Up with
            {
                Replica = Healthy,
            },
            Setup(ReplicationSetupState.FailedPermanently, "gave up"),
            30,
            "not ready: replication setup failed: gave up"
        ),
        ["replica not configured, setup pending"] = (
            1,
            Up,
            Setup(ReplicationSetupState.Pending),
            30,
            "not ready: replication not configured yet (setup pending)"
        ),
        ["replica not configured, setup running"] = (
            1,
            Up,
            Setup(ReplicationSetupState.Running),
            30,
            "not ready: replication not configured yet (setup running)"
        ),
        ["replica not configured although setup said done"] = (
            1,
            Up,
            Done,
            30,
            "not ready: replication is not configured on this replica"
        ),
        ["SQL thread stopped with an error"] = (
            1,
            Up with
            {
                Replica = Healthy with
                {
                    SqlThread = "No",
                    LastSqlErrorNumber = 1062,
                    LastSqlError = "Duplicate entry '1' for key 'PRIMARY'",
                    LagSeconds = null,
                },
            },
            Done,
            30,
            "not ready: SQL thread stopped (error 1062: Duplicate entry '1' for key 'PRIMARY')"
        ),
        ["SQL thread stopped by hand"] = (
            1,
            Up with
            {
                Replica = Healthy with { SqlThread = "No", LagSeconds = null },
            },
            Done,
            30,
            "not ready: SQL thread stopped"
        ),
        ["IO thread connecting to an unreachable source"] = (
            1,
            Up with
            {
                Replica = Healthy with
                {
                    IoThread = "Connecting",
                    LastIoErrorNumber = 2003,
                    LastIoError = "Can't connect to server on 'mysql-0.mysql'",
                },
            },
            Done,
            30,
            "not ready: IO thread connecting (error 2003: Can't connect to server on 'mysql-0.mysql')"
        ),
        ["both threads stopped"] = (
            1,
            Up with
            {
                Replica = Healthy with { IoThread = "No", SqlThread = "No" },
            },
            Done,
            30,
            "not ready: IO thread stopped; SQL thread stopped"
        ),
        ["threads running but an error is reported"] = (
            1,
            Up with
            {
                Replica = Healthy with
                {
                    LastIoErrorNumber = 1236,
                    LastIoError = "Got fatal error from source",
                },
            },
            Done,
            30,
            "not ready: replication error 1236: Got fatal error from source"
        ),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Readiness_follows_the_rules(string name)
    {
        var (ordinal, node, setup, maxLag, line) = Cases[name];

        var verdict = ReadinessRules.Decide(node, setup, HealthTestOptions.For(ordinal, maxLag));

        Assert.Equal(line, verdict.Line);
        Assert.Equal(line.StartsWith("ready:", StringComparison.Ordinal), verdict.Ready);
    }

    [Fact]
    public void The_reason_is_always_one_line()
    {
        foreach (var (ordinal, node, setup, maxLag, _) in Cases.Values)
        {
            var verdict = ReadinessRules.Decide(
                node,
                setup,
                HealthTestOptions.For(ordinal, maxLag)
            );
            Assert.DoesNotContain('\n', verdict.Line);
        }
    }
}
