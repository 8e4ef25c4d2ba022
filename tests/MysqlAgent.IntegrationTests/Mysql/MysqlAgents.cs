using System.Globalization;
using MysqlAgent.Health;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.IntegrationTests.Replication;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>Agents against MySQL containers: the primary's (ordinal 0) and a replica's (ordinal 1).</summary>
internal static class MysqlAgents
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    public static AgentArguments Primary(MysqlServer primary, string dataDir) =>
        new()
        {
            Ordinal = 0,
            DataDir = dataDir,
            MysqlPort = primary.Port,
            AdminPassword = primary.RootPassword,
            PrimaryPort = primary.Port,
            // The heartbeat writes a transaction a second: these tests pin the bootstrap's own writes.
            Extra = ["--heartbeat-interval", "0"],
        };

    /// <summary>The replica reaches the primary on the engine's bridge; so does the agent's credentials check.</summary>
    public static AgentArguments Replica(
        MysqlServer replica,
        MysqlServer primary,
        string dataDir,
        string mode
    ) =>
        new()
        {
            Ordinal = 1,
            DataDir = dataDir,
            MysqlPort = replica.Port,
            AdminPassword = replica.RootPassword,
            PrimaryPort = 3306,
            PrimaryAddress = primary.BridgeAddress + ":3306",
            Mode = mode,
        };

    /// <summary>Runs the primary's agent until its bootstrap is over; fails unless it succeeded.</summary>
    public static async Task BootstrapAsync(AgentArguments arguments)
    {
        await using var agent = await InProcessAgent.StartAsync(arguments);
        var setup = await agent.WaitForSetupAsync(Wait);
        Assert.True(
            setup.State == ReplicationSetupState.NotNeeded,
            $"primary bootstrap: {setup.StateName} {setup.Reason}"
        );
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
