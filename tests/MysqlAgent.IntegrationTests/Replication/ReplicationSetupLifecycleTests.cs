using System.Globalization;
using System.Net;
using MysqlAgent.Health;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>A replica's setup across restarts, an absent primary, permanent errors, and how fast it runs.</summary>
public sealed class ReplicationSetupLifecycleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static readonly string[] Unchanged =
    [
        "Master_Host",
        "Master_Port",
        "Master_User",
        "Using_Gtid",
        "Master_Log_File",
        "Read_Master_Log_Pos",
        "Exec_Master_Log_Pos",
        "Gtid_IO_Pos",
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
            foreach (var column in Unchanged)
            {
                Assert.True(
                    before[column] == after[column],
                    $"{column} changed from {before[column]} to {after[column]}"
                );
            }

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

        await Task.Delay(TimeSpan.FromSeconds(3));
        await primary.StartAgainAsync();
        var connected = await ReplicaProbe.WaitForThreadsAsync(replica, Wait);
        output.WriteLine(
            $"IO thread connected {connected.TotalMilliseconds:F0} ms after the primary answered again"
        );
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
            // /readyz comes with the health branch; where it exists it must name the reason.
            if (readyz.StatusCode != HttpStatusCode.NotFound)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
                Assert.Contains(
                    "xtrabackup_binlog_info",
                    await readyz.Content.ReadAsStringAsync(),
                    StringComparison.Ordinal
                );
            }
            else
            {
                output.WriteLine("/readyz is not served on this branch");
            }
        }

        Assert.Empty(await ReplicaProbe.SlaveStatusAsync(replica));
        Assert.False(File.Exists(Path.Combine(replica.DataDir, ReplicationSetupMarker.FileName)));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_wrong_admin_password_stops_the_setup_as_a_permanent_error()
    {
        await using var primary = await Primaries.StartAsync();
        await using var replica = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );

        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.For(1, replica, primary) with
            {
                AdminPassword = "not-the-password",
            }
        );
        var setup = await agent.WaitForSetupAsync(Wait);
        output.WriteLine($"{setup.StateName}: {setup.Reason}");
        Assert.Equal(ReplicationSetupState.FailedPermanently, setup.State);
        Assert.Contains("1045", setup.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await agent.SetupAttemptsAsync()).GetValueOrDefault("permanent_error"));
        using var healthz = await agent.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_wrong_replication_password_stops_the_setup_as_a_permanent_error()
    {
        await using var primary = await Primaries.StartAsync();
        await using var replica = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );

        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.For(1, replica, primary) with
            {
                ReplicationPasswordValue = "not-the-replication-password",
            }
        );
        var setup = await agent.WaitForSetupAsync(Wait);
        var status = await ReplicaProbe.SlaveStatusAsync(replica);
        output.WriteLine($"{setup.StateName}: {setup.Reason}; {ReplicaProbe.Describe(status)}");
        Assert.Equal(ReplicationSetupState.FailedPermanently, setup.State);
        Assert.Contains("repl", setup.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await agent.SetupAttemptsAsync()).GetValueOrDefault("permanent_error"));
        using var healthz = await agent.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact(Timeout = 240_000)]
    public async Task Time_from_mysqld_answering_to_both_replication_threads_running_is_reported()
    {
        await using var primary = await Primaries.StartAsync();
        var table = await Primaries.CreateTableAsync(primary, "timing");
        await ReplicaProbe.InsertRowsAsync(primary, table, 1, 20);
        var figures = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var clone = await ManualClone.TakeAsync(primary);
            var port = FreePorts.Next();
            // The agent first, as in a pod where the sidecar starts beside a booting mysqld.
            var arguments = new AgentArguments
            {
                Ordinal = 1,
                DataDir = clone,
                MysqlPort = port,
                AdminPassword = primary.RootPassword,
                PrimaryPort = primary.Port,
            };
            await using var agent = await InProcessAgent.StartAsync(arguments);
            await using var replica = await ManualClone.BootAsync(clone, primary, 101, port);
            var elapsed = await ReplicaProbe.WaitForThreadsAsync(replica, Wait);
            var setup = await agent.WaitForSetupAsync(Wait);
            figures.Add(elapsed.TotalMilliseconds);
            output.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"run {run + 1}: both threads running {elapsed.TotalMilliseconds:F0} ms after mysqld answered the fixture; agent: {setup.Reason}"
                )
            );
        }

        figures.Sort();
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"time to replication: median {figures[1]:F0} ms (min {figures[0]:F0}, max {figures[2]:F0}); the example: ~940 ms"
            )
        );
    }
}
