using MysqlAgent.IntegrationTests.Hosting;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>
/// A primary and a fresh clone of it, whatever the server family, as <see cref="SetupCrashScenario"/>
/// sees them: the clone's agent command line, rows written on the primary, and the replica's state.
/// The clone holds rows 1-20 of the pair's table; the primary may have more.
/// </summary>
public interface ISetupCrashPair
{
    /// <summary>The replica's agent (ordinal 1) in the mode under test; its data folder holds the clone's info files.</summary>
    AgentArguments Arguments { get; }

    /// <summary>How many statements the agent's setup runs on this replica in its mode.</summary>
    int StatementCount { get; }

    /// <summary>Writes rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 on the primary.</summary>
    Task InsertOnPrimaryAsync(int first, int count);

    /// <summary>The table's row count and checksum on the primary or on the replica.</summary>
    Task<TableContent> ContentAsync(bool onReplica);

    /// <summary>The replica's own replication state (SHOW SLAVE STATUS or SHOW REPLICA STATUS).</summary>
    Task<ReplicaState> ReplicaStateAsync();
}

public sealed record TableContent(long Count, long Checksum);
