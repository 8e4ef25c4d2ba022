using System.Net;
using MysqlAgent.Health;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>A replica's setup across restarts, an absent primary, and permanent errors.</summary>
[Trait("Category", "Slow")]
public sealed class ReplicationSetupLifecycleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>The source and the GTID position: a second setup would change them.</summary>
    private static readonly string[] SourceAndGtid =
    [
        "Master_Host",
        "Master_Port",
        "Master_User",
        "Using_Gtid",
        "Gtid_IO_Pos",
    ];

    /// <summary>
    /// The threads' file positions. They hold still while mysqld runs, but after mysqld restarts
    /// the IO thread reconnects by GTID and passes through the head of the source's binary log
    /// (CI saw Read_Master_Log_Pos 5712, then 285), so they are compared across an agent restart only.
    /// </summary>
    private static readonly string[] FilePositions =
    [
        "Master_Log_File",
        "Read_Master_Log_Pos",
        "Exec_Master_Log_Pos",
    ];

    [Fact(Timeout = 240_000)]
    public async Task A_set_up_replica_restarted_is_not_set_up_again_and_keeps_its_source_and_position()
    {
        await using var primary = await Primaries.StartAsync();
        var table = await Primaries.CreateTableAsync(primary, "restart");
        await ReplicaProbe.InsertRowsAsync(primary, table, 1, 20);
        await using var replica = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );
        var arguments = AgentArguments.For(1, replica, primary);
        await using (var agent = await InProcessAgent.StartAsync(arguments))
        {
            Assert.Equal(ReplicationSetupState.Done, (await agent.WaitForSetupAsync(Wait)).State);
        }

        await ReplicaProbe.InsertRowsAsync(primary, table, 21, 20);
        await ReplicaProbe.WaitForSameRowsAsync(primary, replica, table, Wait);
        var marker = Path.Combine(replica.DataDir, ReplicationSetupMarker.FileName);
        var markerText = await File.ReadAllTextAsync(marker);

        // The agent alone restarts, then mysqld and the agent together.
        foreach (var restartMysqld in new[] { false, true })
        {
            if (restartMysqld)
            {
                await replica.StopAsync();
                await replica.StartAgainAsync();
                await ReplicaProbe.WaitForThreadsAsync(replica, Wait);
            }

            var before = await ReplicaProbe.SlaveStatusAsync(replica);
            var slavePosBefore = await replica.ScalarAsync<string>("SELECT @@gtid_slave_pos");
            await using (
                var agent = await InProcessAgent.StartAsync(
                    arguments with
                    {
                        HttpPort = FreePorts.Next(),
                        BackupPort = FreePorts.Next(),
                    }
                )
            )
            {
                var setup = await agent.WaitForSetupAsync(Wait);
                Assert.Equal(ReplicationSetupState.Done, setup.State);
                Assert.Equal("already configured before this start", setup.Reason);
                var attempts = await agent.SetupAttemptsAsync();
                Assert.Equal(1, attempts.GetValueOrDefault("already_configured"));
                Assert.Equal(0, attempts.GetValueOrDefault("success"));
            }

            var after = await ReplicaProbe.SlaveStatusAsync(replica);
            output.WriteLine(
                $"restart (mysqld too: {restartMysqld}): {ReplicaProbe.Describe(after)}"
            );
            foreach (
                var column in restartMysqld ? SourceAndGtid : [.. SourceAndGtid, .. FilePositions]
            )
            {
                Assert.True(
                    before[column] == after[column],
                    $"{column} changed from {before[column]} to {after[column]}"
                );
            }

            Assert.Equal(
                slavePosBefore,
                await replica.ScalarAsync<string>("SELECT @@gtid_slave_pos")
            );
            Assert.Equal(markerText, await File.ReadAllTextAsync(marker));
        }

        await ReplicaProbe.InsertRowsAsync(primary, table, 41, 20);
        await ReplicaProbe.WaitForSameRowsAsync(primary, replica, table, Wait);
        Assert.Equal("0", (await ReplicaProbe.SlaveStatusAsync(replica))["Last_SQL_Errno"]);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_primary_unreachable_at_setup_time_is_waited_for_and_rows_flow_once_it_is_back()
    {
        await using var primary = await Primaries.StartAsync();
        var table = await Primaries.CreateTableAsync(primary, "unreachable");
        await ReplicaProbe.InsertRowsAsync(primary, table, 1, 20);
        await using var replica = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );
        await primary.StopAsync();

        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.For(1, replica, primary)
        );
        var setup = await agent.WaitForSetupAsync(Wait);
        Assert.True(
            setup.State == ReplicationSetupState.Done,
            $"{setup.StateName}: {setup.Reason}"
        );
        var whileDown = await ReplicaProbe.SlaveStatusAsync(replica);
        output.WriteLine($"primary down: {ReplicaProbe.Describe(whileDown)}");
        Assert.Equal("Connecting", whileDown["Slave_IO_Running"]);

        // The replica has met the absent primary (a connect error), and keeps trying.
        var refused = await Eventually.ValueAsync(
            () => ReplicaProbe.SlaveStatusAsync(replica),
            status => status.GetValueOrDefault("Last_IO_Errno", "0") != "0",
            "the replica's IO thread reports that it cannot reach the stopped primary",
            Wait
        );
        output.WriteLine($"primary still down: {ReplicaProbe.Describe(refused)}");
        await primary.StartAgainAsync();
        await ReplicaProbe.WaitForThreadsAsync(replica, Wait);
        await ReplicaProbe.InsertRowsAsync(primary, table, 21, 20);
        await ReplicaProbe.WaitForSameRowsAsync(primary, replica, table, Wait);
        Assert.Equal(1, (await agent.SetupAttemptsAsync()).GetValueOrDefault("success"));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_malformed_info_file_stops_the_setup_as_a_permanent_error_while_the_agent_stays_alive()
    {
        await using var primary = await Primaries.StartAsync();
        var clone = await ManualClone.TakeAsync(primary);
        await File.WriteAllTextAsync(
            Path.Combine(clone, "xtrabackup_binlog_info"),
            "not a binlog position\n"
        );
        await using var replica = await ManualClone.BootAsync(clone, primary, 101);

        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.For(1, replica, primary)
        );
        var setup = await agent.WaitForSetupAsync(Wait);
        output.WriteLine($"{setup.StateName}: {setup.Reason}");
        Assert.Equal(ReplicationSetupState.FailedPermanently, setup.State);
        Assert.Contains("xtrabackup_binlog_info", setup.Reason, StringComparison.Ordinal);
        var attempts = await agent.SetupAttemptsAsync();
        Assert.Equal(1, attempts.GetValueOrDefault("permanent_error"));
        Assert.Equal(0, attempts.GetValueOrDefault("transient_error"));

        using (var healthz = await agent.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        }

        using (var readyz = await agent.GetAsync("/readyz"))
        {
            // Not ready, and the reason names the file to fix.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
            Assert.Contains(
                "xtrabackup_binlog_info",
                await readyz.Content.ReadAsStringAsync(),
                StringComparison.Ordinal
            );
        }

        Assert.Empty(await ReplicaProbe.SlaveStatusAsync(replica));
        Assert.False(File.Exists(Path.Combine(replica.DataDir, ReplicationSetupMarker.FileName)));
    }

    [Theory(Timeout = 240_000)]
    [InlineData("admin", "1045")]
    [InlineData("replication", "repl")]
    public async Task A_wrong_password_stops_the_setup_as_a_permanent_error(
        string account,
        string named
    )
    {
        await using var primary = await Primaries.StartAsync();
        await using var replica = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );
        var arguments = AgentArguments.For(1, replica, primary);
        arguments =
            account == "admin"
                ? arguments with
                {
                    AdminPassword = "not-the-password",
                }
                : arguments with
                {
                    ReplicationPasswordValue = "not-the-replication-password",
                };

        await using var agent = await InProcessAgent.StartAsync(arguments);
        var setup = await agent.WaitForSetupAsync(Wait);
        var status = await ReplicaProbe.SlaveStatusAsync(replica);
        output.WriteLine($"{setup.StateName}: {setup.Reason}; {ReplicaProbe.Describe(status)}");
        Assert.Equal(ReplicationSetupState.FailedPermanently, setup.State);
        Assert.Contains(named, setup.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await agent.SetupAttemptsAsync()).GetValueOrDefault("permanent_error"));
        using var healthz = await agent.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }
}
