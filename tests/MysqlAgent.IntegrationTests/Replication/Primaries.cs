using MysqlAgent.Health;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>A primary as ordinal 0 of the set: a fresh server whose users the agent itself created.</summary>
internal static class Primaries
{
    public static async Task<MariaDbServer> StartAsync()
    {
        var primary = await MariaDbServer.StartAsync(new MariaDbServerOptions { ServerId = 100 });
        try
        {
            await using var agent = await InProcessAgent.StartAsync(
                AgentArguments.For(0, primary, primary)
            );
            var setup = await agent.WaitForSetupAsync(TimeSpan.FromSeconds(60));
            Assert.True(
                setup.State == ReplicationSetupState.NotNeeded,
                $"primary bootstrap: {setup.StateName} {setup.Reason}"
            );
            Assert.Equal(1, (await agent.SetupAttemptsAsync()).GetValueOrDefault("success"));
            return primary;
        }
        catch
        {
            await primary.DisposeAsync();
            throw;
        }
    }

    /// <summary>A database with one table per test, so tests that share a primary do not see each other's rows.</summary>
    public static async Task<string> CreateTableAsync(MariaDbServer primary, string name)
    {
        await primary.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {name}");
        await primary.ExecuteAsync(
            $"CREATE TABLE {name}.t (id INT PRIMARY KEY, payload VARCHAR(64) NOT NULL) ENGINE=InnoDB"
        );
        return $"{name}.t";
    }
}
