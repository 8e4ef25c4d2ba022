using MysqlAgent.Health;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>mysql-0 primary, mysql-1 cloned from 0, mysql-2 cloned from 1: the agent points both at mysql-0.</summary>
[Trait("Category", "Slow")]
public sealed class ReplicationChainTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory(Timeout = 300_000)]
    [InlineData("gtid")]
    [InlineData("file-position")]
    public async Task Three_node_chain_replicates_rows_written_after_the_clones_to_both_replicas(
        string mode
    )
    {
        await using var primary = await Primaries.StartAsync();
        Assert.Equal(
            0L,
            await primary.ScalarAsync<long>("SELECT COUNT(*) FROM mysql.user WHERE User = ''")
        );
        Assert.Equal(
            1L,
            await primary.ScalarAsync<long>(
                "SELECT COUNT(*) FROM mysql.user WHERE User = 'repl' AND Host = '%'"
            )
        );
        var table = await Primaries.CreateTableAsync(primary, "chain");
        await ReplicaProbe.InsertRowsAsync(primary, table, 1, 50);

        // mysql-1 from mysql-0
        await using var replica1 = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );
        await using var agent1 = await InProcessAgent.StartAsync(
            AgentArguments.For(1, replica1, primary, mode)
        );
        await AssertSetUpAsync(agent1, replica1, mode);
        await ReplicaProbe.InsertRowsAsync(primary, table, 51, 50);
        await ReplicaProbe.WaitForSameRowsAsync(primary, replica1, table, Wait);

        // mysql-2 from mysql-1: its clone says where mysql-1 was in mysql-0's history.
        var clone2 = await ManualClone.TakeAsync(replica1);
        var slaveInfo = Path.Combine(clone2, "xtrabackup_slave_info");
        Assert.True(File.Exists(slaveInfo), "a clone of a replica holds xtrabackup_slave_info");
        output.WriteLine(
            $"mysql-2's slave info: {(await File.ReadAllTextAsync(slaveInfo)).Trim()}"
        );
        output.WriteLine(
            $"files in mysql-2's clone: {string.Join(" ", Directory.GetFiles(clone2).Select(Path.GetFileName))}"
        );
        await using var replica2 = await ManualClone.BootAsync(clone2, replica1, 102);
        await using var agent2 = await InProcessAgent.StartAsync(
            AgentArguments.For(2, replica2, primary, mode)
        );
        await AssertSetUpAsync(agent2, replica2, mode);

        await ReplicaProbe.InsertRowsAsync(primary, table, 101, 50);
        await primary.ExecuteAsync(
            $"UPDATE {table} SET payload = CONCAT(payload, '-updated') WHERE id % 7 = 0"
        );
        await ReplicaProbe.WaitForSameRowsAsync(primary, replica1, table, Wait);
        await ReplicaProbe.WaitForSameRowsAsync(primary, replica2, table, Wait);

        var checksum = await ReplicaProbe.ChecksumAsync(primary, table);
        Assert.Equal(checksum, await ReplicaProbe.ChecksumAsync(replica1, table));
        Assert.Equal(checksum, await ReplicaProbe.ChecksumAsync(replica2, table));
        Assert.Equal(150L, await replica2.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        foreach (var replica in new[] { replica1, replica2 })
        {
            var status = await ReplicaProbe.SlaveStatusAsync(replica);
            output.WriteLine($"{replica}: {ReplicaProbe.Describe(status)}");
            Assert.Equal(
                primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                status["Master_Port"]
            );
            Assert.Equal("0", status["Last_SQL_Errno"]);
            Assert.Equal("0", status["Last_IO_Errno"]);
            Assert.Equal(1L, await replica.ScalarAsync<long>("SELECT @@read_only"));
        }
    }

    private async Task AssertSetUpAsync(InProcessAgent agent, MariaDbServer replica, string mode)
    {
        var setup = await agent.WaitForSetupAsync(Wait);
        Assert.True(
            setup.State == ReplicationSetupState.Done,
            $"{setup.StateName}: {setup.Reason}"
        );
        output.WriteLine($"{replica}: setup {setup.Reason}");
        Assert.Equal(1, (await agent.SetupAttemptsAsync()).GetValueOrDefault("success"));
        await ReplicaProbe.WaitForThreadsAsync(replica, Wait);
        var status = await ReplicaProbe.SlaveStatusAsync(replica);
        Assert.Equal(mode == "gtid" ? "Slave_Pos" : "No", status["Using_Gtid"]);
        Assert.True(
            File.Exists(Path.Combine(replica.DataDir, ".mysql-agent-replication-configured"))
        );
    }
}
