using MysqlAgent.Election;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Sql;

namespace MysqlAgent.Tests.Election;

public sealed class FailoverStatementRendererTests
{
    private const string Uuid1 = "c777888a-b6df-11e2-a604-080027635ef5";
    private const string MariaDb1011 = "10.11.19-MariaDB-0+deb12u1-log";
    private const string MySql84 = "8.4.7";
    private const string MySql97 = "9.7.4-2";
    private const string MySql8025 = "8.0.25";

    private static readonly ReplicationSource NewPrimary = new(
        "mysql-2.mysql",
        3306,
        "repl",
        "s3cr'et",
        10,
        86400
    );

    private static ServerVersionInfo V(string version) => ServerVersionInfo.Parse(version);

    private static string[] Sql(IEnumerable<ReplicationStatement> statements) =>
        statements.Select(s => s.Sql).ToArray();

    [Theory]
    [InlineData(MariaDb1011, "SET GLOBAL read_only = ON")]
    [InlineData(MySql84, "SET GLOBAL super_read_only = ON")]
    [InlineData(MySql97, "SET GLOBAL super_read_only = ON")]
    public void Fencing_makes_the_server_read_only_for_super_users_too_where_the_server_can(
        string version,
        string expected
    )
    {
        Assert.Equal(expected, FailoverStatementRenderer.RenderReadOnly(V(version)).Sql);
    }

    [Fact]
    public void The_connections_to_kill_spare_the_server_threads_the_replicas_and_the_agent()
    {
        var query = FailoverStatementRenderer.RenderClientConnectionsQuery([
            "mysql-agent",
            "o'brien",
        ]);

        Assert.Equal(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                + " AND USER NOT IN ('system user', 'event_scheduler', 'mysql-agent', 'o''brien')"
                + " AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon')",
            query
        );
        Assert.Equal("KILL CONNECTION 42", FailoverStatementRenderer.RenderKill(42).Sql);
        Assert.Throws<ArgumentOutOfRangeException>(() => FailoverStatementRenderer.RenderKill(0));
    }

    [Theory]
    [InlineData(MariaDb1011, "STOP SLAVE IO_THREAD")]
    [InlineData(MySql84, "STOP REPLICA IO_THREAD")]
    public void The_ACK_fence_stops_only_the_replica_IO_thread(string version, string expected)
    {
        Assert.Equal(expected, FailoverStatementRenderer.RenderAckFence(V(version)).Sql);
    }

    [Theory]
    [InlineData(MariaDb1011, "0-100-14", "SELECT MASTER_GTID_WAIT('0-100-14', 10)")]
    [InlineData(
        MySql84,
        Uuid1 + ":1-40",
        "SELECT WAIT_FOR_EXECUTED_GTID_SET('" + Uuid1 + ":1-40', 10)"
    )]
    public void Catching_up_waits_for_the_position_in_the_server_own_function(
        string version,
        string target,
        string expected
    )
    {
        var wait = FailoverStatementRenderer.RenderWaitFor(
            V(version),
            target,
            TimeSpan.FromSeconds(9.5)
        );

        Assert.Equal(expected, wait.Sql);
        Assert.True(wait.IsDone(0L));
        Assert.False(wait.IsDone(1L));
        Assert.False(wait.IsDone(-1));
        Assert.False(wait.IsDone(DBNull.Value));
    }

    [Fact]
    public void A_wait_target_of_the_wrong_family_is_refused_before_it_reaches_the_server()
    {
        Assert.Throws<FormatException>(() =>
            FailoverStatementRenderer.RenderWaitFor(
                V(MariaDb1011),
                Uuid1 + ":1",
                TimeSpan.FromSeconds(1)
            )
        );
        Assert.Throws<FormatException>(() =>
            FailoverStatementRenderer.RenderWaitFor(V(MySql84), "0-1-1", TimeSpan.FromSeconds(1))
        );
    }

    [Fact]
    public void MariaDb_promotion_applies_the_relay_log_then_forgets_the_source_and_takes_the_primary_semi_sync_role()
    {
        var plan = FailoverStatementRenderer.RenderPromotion(
            V(MariaDb1011),
            "0-100-14",
            new PromotionOptions(1, SemiSync: true, TimeSpan.FromSeconds(30))
        );

        Assert.Equal(["STOP SLAVE IO_THREAD"], Sql(plan.Before));
        Assert.Equal("SELECT MASTER_GTID_WAIT('0-100-14', 30)", plan.Wait.Sql);
        Assert.Equal(
            [
                "STOP SLAVE",
                "RESET SLAVE ALL",
                "SET GLOBAL rpl_semi_sync_slave_enabled = OFF",
                "SET GLOBAL rpl_semi_sync_master_timeout = 86400000",
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC",
                "SET GLOBAL rpl_semi_sync_master_enabled = ON",
                "SET GLOBAL read_only = OFF",
            ],
            Sql(plan.Finish)
        );
    }

    [Theory]
    [InlineData(
        MySql84,
        "STOP REPLICA",
        "RESET REPLICA ALL",
        "source",
        "replica",
        "rpl_semi_sync_source_wait_for_replica_count"
    )]
    [InlineData(
        MySql97,
        "STOP REPLICA",
        "RESET REPLICA ALL",
        "source",
        "replica",
        "rpl_semi_sync_source_wait_for_replica_count"
    )]
    [InlineData(
        MySql8025,
        "STOP REPLICA",
        "RESET REPLICA ALL",
        "master",
        "slave",
        "rpl_semi_sync_master_wait_for_slave_count"
    )]
    public void MySql_promotion_sets_the_ack_count_and_clears_super_read_only(
        string version,
        string stop,
        string reset,
        string source,
        string replica,
        string waitCount
    )
    {
        var plan = FailoverStatementRenderer.RenderPromotion(
            V(version),
            Uuid1 + ":1-40",
            new PromotionOptions(2, SemiSync: true, TimeSpan.FromSeconds(30))
        );

        Assert.Equal(
            [
                stop,
                reset,
                $"SET GLOBAL rpl_semi_sync_{replica}_enabled = OFF",
                $"SET GLOBAL rpl_semi_sync_{source}_timeout = 86400000",
                $"SET GLOBAL rpl_semi_sync_{source}_wait_point = AFTER_SYNC",
                $"SET GLOBAL {waitCount} = 2",
                $"SET GLOBAL rpl_semi_sync_{source}_enabled = ON",
                "SET GLOBAL super_read_only = OFF",
                "SET GLOBAL read_only = OFF",
            ],
            Sql(plan.Finish)
        );
    }

    [Theory]
    [InlineData(MariaDb1011, "master", "Rpl_semi_sync_master_clients")]
    [InlineData(MySql84, "source", "Rpl_semi_sync_source_clients")]
    [InlineData(MySql97, "source", "Rpl_semi_sync_source_clients")]
    [InlineData(MySql8025, "master", "Rpl_semi_sync_master_clients")]
    public void A_primary_reads_its_semi_sync_state_and_its_acknowledging_replicas_by_the_flavours_names(
        string version,
        string source,
        string clients
    )
    {
        Assert.Equal(
            $"SELECT @@GLOBAL.rpl_semi_sync_{source}_enabled",
            FailoverStatementRenderer.RenderSourceSemiSyncEnabledQuery(V(version))
        );
        Assert.Equal(
            $"SHOW GLOBAL STATUS LIKE '{clients}'",
            FailoverStatementRenderer.RenderSemiSyncReplicasQuery(V(version))
        );
    }

    [Fact]
    public void Asynchronous_promotion_turns_semi_sync_off()
    {
        var plan = FailoverStatementRenderer.RenderPromotion(
            V(MariaDb1011),
            "0-100-14",
            new PromotionOptions(1, SemiSync: false, TimeSpan.FromSeconds(5))
        );

        Assert.Contains("SET GLOBAL rpl_semi_sync_master_enabled = OFF", Sql(plan.Finish));
        Assert.DoesNotContain(
            Sql(plan.Finish),
            s => s.Contains("timeout", StringComparison.Ordinal)
        );
    }

    [Theory]
    [InlineData("0-100-14", "0-100-14", "")]
    [InlineData("0-100-12", "0-100-14", "")]
    [InlineData("0-100-16", "0-100-14", "0-100-16")]
    [InlineData("0-100-14,1-100-2", "0-100-14", "1-100-2")]
    [InlineData("0-100-14,1-100-2", "0-101-20,1-101-2", "")]
    [InlineData("", "0-100-14", "")]
    public void MariaDb_errant_transactions_are_those_beyond_the_fork_point_per_domain(
        string own,
        string fork,
        string errant
    )
    {
        var found = FailoverStatementRenderer.ErrantGtids(
            MariaDbGtidPosition.Parse(own),
            MariaDbGtidPosition.Parse(fork)
        );

        Assert.Equal(errant, string.Join(',', found));
    }

    [Fact]
    public void MySql_errant_transactions_are_found_by_subtracting_the_fork_point()
    {
        var fork = MysqlGtidSet.Parse(Uuid1 + ":1-40");

        Assert.Equal(
            $"SELECT GTID_SUBTRACT(@@GLOBAL.gtid_executed, '{Uuid1}:1-40')",
            FailoverStatementRenderer.RenderErrantQuery(fork)
        );
        Assert.False(FailoverStatementRenderer.IsErrant(MysqlGtidSet.Parse(Uuid1 + ":1-39"), fork));
        Assert.True(FailoverStatementRenderer.IsErrant(MysqlGtidSet.Parse(Uuid1 + ":1-41"), fork));
    }

    [Fact]
    public void MariaDb_rejoin_stays_read_only_takes_the_replica_semi_sync_role_and_follows_by_GTID()
    {
        var statements = FailoverStatementRenderer.RenderRejoin(
            V(MariaDb1011),
            MariaDbGtidPosition.Parse("0-100-14"),
            NewPrimary,
            new ReplicationLinkOptions(UseTls: false),
            semiSync: true
        );

        Assert.Equal(
            [
                "SET GLOBAL read_only = ON",
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                "SET GLOBAL rpl_semi_sync_slave_enabled = ON",
                "STOP SLAVE",
                "RESET SLAVE ALL",
                "SET GLOBAL gtid_slave_pos = '0-100-14'",
                "CHANGE MASTER TO MASTER_HOST='mysql-2.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cr''et', MASTER_CONNECT_RETRY=10, MASTER_USE_GTID=slave_pos",
                "START SLAVE",
            ],
            Sql(statements)
        );
        Assert.DoesNotContain(
            statements,
            s => s.Redacted.Contains("s3cr", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void MySql_rejoin_follows_by_auto_position_and_keeps_its_GTID_history()
    {
        var statements = Sql(
            FailoverStatementRenderer.RenderRejoin(
                V(MySql84),
                null,
                NewPrimary,
                new ReplicationLinkOptions(UseTls: false),
                semiSync: true
            )
        );

        Assert.Equal("SET GLOBAL super_read_only = ON", statements[0]);
        Assert.Contains("SET GLOBAL rpl_semi_sync_replica_enabled = ON", statements);
        Assert.DoesNotContain(
            statements,
            s =>
                s.StartsWith("RESET BINARY LOGS", StringComparison.Ordinal)
                || s.Contains("gtid_purged", StringComparison.Ordinal)
        );
        Assert.Contains(
            statements,
            s =>
                s.StartsWith("CHANGE REPLICATION SOURCE TO", StringComparison.Ordinal)
                && s.Contains("SOURCE_AUTO_POSITION=1", StringComparison.Ordinal)
        );
        Assert.Equal("START REPLICA", statements[^1]);
    }
}
