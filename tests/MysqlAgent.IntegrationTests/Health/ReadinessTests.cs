using System.Net;
using System.Text.Json;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlAgent.IntegrationTests.Health;

/// <summary>/healthz, /readyz, /status and the health metrics of the real agent against real mariadbd.</summary>
[Trait("Category", "Slow")]
public sealed class ReadinessTests
{
    private const int Generous = 180_000;

    [Fact(Timeout = Generous)]
    public async Task A_replica_with_running_replication_is_ready_and_says_so_in_metrics_and_status()
    {
        await using var pair = await ReplicationPair.StartAsync();
        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.WatchOnly(pair.Replica, 1)
        );

        var (_, body) = await agent.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);

        Assert.Equal("ready: replica, IO and SQL threads running, lag 0 s", body);
        Assert.Equal(1, await agent.MetricAsync("mysql_agent_mysqld_up"));
        Assert.Equal(1, await agent.MetricAsync("mysql_agent_ready"));
        Assert.Equal(1, await agent.MetricAsync("mysql_agent_replica_io_thread_running"));
        Assert.Equal(1, await agent.MetricAsync("mysql_agent_replica_sql_thread_running"));
        Assert.Equal(0, await agent.MetricAsync("mysql_agent_replica_lag_seconds"));
        Assert.Equal(0, await agent.MetricAsync("mysql_agent_replica_last_error_number"));
        var version = await VersionAsync(pair.Replica);
        Assert.Equal(
            1,
            await agent.MetricAsync(
                "mysql_agent_info",
                ("version", version),
                ("role", "replica"),
                ("server_id", "2"),
                ("flavor", "mariadb")
            )
        );

        var (status, json) = await agent.GetTextAsync("/status");
        Assert.Equal(HttpStatusCode.OK, status);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("mysql-1", root.GetProperty("podName").GetString());
        Assert.Equal("replica", root.GetProperty("role").GetString());
        Assert.True(root.GetProperty("ready").GetBoolean());
        Assert.Equal(0, root.GetProperty("lagSeconds").GetInt64());
        Assert.Equal(2u, root.GetProperty("serverId").GetUInt32());
        Assert.Equal("mariadb", root.GetProperty("flavor").GetString());
        Assert.Equal(version, root.GetProperty("version").GetString());
        Assert.True(root.GetProperty("ioThreadRunning").GetBoolean());
        Assert.True(root.GetProperty("sqlThreadRunning").GetBoolean());
        Assert.StartsWith("0-1-", root.GetProperty("gtid").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(
            "mysql-bin.",
            root.GetProperty("binlogFile").GetString(),
            StringComparison.Ordinal
        );
        // Replication was configured by hand on a pod that was not cloned: the setup adopts it.
        // Readiness does not wait for the setup (CI saw "running" here under load), so this does.
        var setup = await agent.WaitForSetupAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ReplicationSetupState.Done, setup.State);
        (_, json) = await agent.GetTextAsync("/status");
        Assert.Equal(
            "done",
            JsonDocument
                .Parse(json)
                .RootElement.GetProperty("replicationSetup")
                .GetProperty("state")
                .GetString()
        );
    }

    [Fact(Timeout = Generous)]
    public async Task Stopping_the_SQL_thread_makes_the_replica_not_ready_and_drops_its_gauge()
    {
        await using var pair = await ReplicationPair.StartAsync();
        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.WatchOnly(pair.Replica, 1)
        );
        await agent.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);

        await pair.Replica.ExecuteAsync("STOP SLAVE SQL_THREAD");

        var (_, body) = await agent.WaitForReadyzAsync(
            (s, _) => s == HttpStatusCode.ServiceUnavailable
        );
        Assert.Equal("not ready: SQL thread stopped", body);
        Assert.Equal(0, await agent.MetricAsync("mysql_agent_replica_sql_thread_running"));
        Assert.Equal(1, await agent.MetricAsync("mysql_agent_replica_io_thread_running"));
        Assert.Equal(0, await agent.MetricAsync("mysql_agent_ready"));
        Assert.True(
            double.IsNaN((await agent.MetricAsync("mysql_agent_replica_lag_seconds"))!.Value)
        );

        await pair.Replica.ExecuteAsync("START SLAVE SQL_THREAD");
        await agent.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);
    }

    [Fact(Timeout = Generous)]
    public async Task A_replica_further_behind_than_the_lag_bound_is_not_ready_until_it_catches_up()
    {
        await using var pair = await ReplicationPair.StartAsync();
        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.WatchOnly(pair.Replica, 1, maxLagSeconds: 2)
        );
        await agent.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);

        // Deterministic lag: a transaction on the replica holds the row lock that the primary's
        // next update needs, so the SQL thread blocks on that event while both threads keep
        // running, and Seconds_Behind_Master grows one second per second from the event's
        // timestamp. No timing guesswork: the lag only shrinks when the test releases the lock.
        await using var blocker = await pair.Replica.OpenConnectionAsync();
        await using (
            var lockRow = new MySqlCommand(
                "START TRANSACTION; SELECT v FROM health.t WHERE id = 1 FOR UPDATE",
                blocker
            )
        )
        {
            await lockRow.ExecuteScalarAsync();
        }

        await pair.Primary.ExecuteAsync("UPDATE health.t SET v = v + 1 WHERE id = 1");

        var (_, body) = await agent.WaitForReadyzAsync(
            (s, b) =>
                s == HttpStatusCode.ServiceUnavailable
                && b.Contains("exceeds", StringComparison.Ordinal)
        );
        Assert.Matches(@"^not ready: lag \d+ s exceeds --max-lag-seconds 2$", body);
        Assert.True(await agent.MetricAsync("mysql_agent_replica_lag_seconds") > 2);
        Assert.Equal(1, await agent.MetricAsync("mysql_agent_replica_sql_thread_running"));

        await using (var release = new MySqlCommand("ROLLBACK", blocker))
        {
            await release.ExecuteNonQueryAsync();
        }

        await pair.WaitForReplicaAsync("SELECT v FROM health.t WHERE id = 1", 1);
        await agent.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);
    }

    [Fact(Timeout = Generous)]
    public async Task A_primary_is_ready_while_writable_and_not_when_read_only()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 1 }
        );
        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.WatchOnly(server, 0)
        );

        var (_, body) = await agent.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);
        Assert.Equal("ready: primary, writable", body);
        var version = await VersionAsync(server);
        Assert.Equal(
            1,
            await agent.MetricAsync(
                "mysql_agent_info",
                ("version", version),
                ("role", "primary"),
                ("server_id", "1"),
                ("flavor", "mariadb")
            )
        );

        // The primary's bootstrap makes mysqld writable once at start; /readyz can say "writable"
        // before it ran (a fresh server is), and a bootstrap after this SET would undo it.
        Assert.Equal(
            ReplicationSetupState.NotNeeded,
            (await agent.WaitForSetupAsync(TimeSpan.FromMinutes(2))).State
        );
        await server.ExecuteAsync("SET GLOBAL read_only = 1");

        (_, body) = await agent.WaitForReadyzAsync(
            (s, _) => s == HttpStatusCode.ServiceUnavailable
        );
        Assert.Equal("not ready: primary is read-only", body);
        var status = JsonDocument.Parse((await agent.GetTextAsync("/status")).Body).RootElement;
        Assert.Equal("primary", status.GetProperty("role").GetString());
        Assert.True(status.GetProperty("readOnly").GetBoolean());
        Assert.Equal(
            "not_needed",
            status.GetProperty("replicationSetup").GetProperty("state").GetString()
        );
    }

    [Fact(Timeout = Generous)]
    public async Task While_mysqld_is_down_healthz_stays_ok_and_readyz_says_mysqld_does_not_answer()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 1 }
        );
        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.WatchOnly(server, 0)
        );
        await agent.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);

        await server.StopAsync();

        var (_, body) = await agent.WaitForReadyzAsync(
            (s, _) => s == HttpStatusCode.ServiceUnavailable
        );
        Assert.StartsWith(
            $"not ready: mysqld does not answer at 127.0.0.1:{server.Port}",
            body,
            StringComparison.Ordinal
        );
        Assert.Equal((HttpStatusCode.OK, "ok"), await agent.GetTextAsync("/healthz"));
        Assert.Equal(0, await agent.MetricAsync("mysql_agent_mysqld_up"));
        Assert.Equal(0, await agent.MetricAsync("mysql_agent_ready"));
        var status = JsonDocument.Parse((await agent.GetTextAsync("/status")).Body).RootElement;
        Assert.False(status.GetProperty("mysqldUp").GetBoolean());
        Assert.False(status.GetProperty("ready").GetBoolean());

        await server.StartAgainAsync();

        (_, body) = await agent.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);
        Assert.Equal("ready: primary, writable", body);
        Assert.Equal(1, await agent.MetricAsync("mysql_agent_mysqld_up"));
    }

    private static async Task<string> VersionAsync(MariaDbServer server)
    {
        var text = await server.ScalarAsync<string>("SELECT VERSION()");
        return text!.Split('-')[0];
    }
}
