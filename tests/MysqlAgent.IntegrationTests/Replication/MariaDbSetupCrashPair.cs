using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>A MariaDB primary and a replica booted from a mariabackup clone of it, for <see cref="SetupCrashScenario"/>.</summary>
internal sealed class MariaDbSetupCrashPair : ISetupCrashPair, IAsyncDisposable
{
    private readonly MariaDbServer _primary;
    private readonly MariaDbServer _replica;
    private readonly string _table;

    private MariaDbSetupCrashPair(
        MariaDbServer primary,
        MariaDbServer replica,
        string table,
        string mode
    )
    {
        _primary = primary;
        _replica = replica;
        _table = table;
        Arguments = AgentArguments.For(1, replica, primary, mode);
    }

    public AgentArguments Arguments { get; }

    public int StatementCount => Statements(Arguments.Mode);

    /// <summary>MariaDB's setup: STOP, RESET ALL, [SET gtid_slave_pos,] CHANGE MASTER, START.</summary>
    public static int Statements(string mode) => mode == "gtid" ? 5 : 4;

    /// <summary>A table of 20 rows in <paramref name="database"/> on the primary, then a clone of it booted as server 101.</summary>
    public static async Task<MariaDbSetupCrashPair> CloneAsync(
        MariaDbServer primary,
        string mode,
        string database
    )
    {
        var table = await Primaries.CreateTableAsync(primary, database);
        await ReplicaProbe.InsertRowsAsync(primary, table, 1, 20);
        var replica = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );
        return new MariaDbSetupCrashPair(primary, replica, table, mode);
    }

    public Task InsertOnPrimaryAsync(int first, int count) =>
        ReplicaProbe.InsertRowsAsync(_primary, _table, first, count);

    public async Task<TableContent> ContentAsync(bool onReplica)
    {
        var server = onReplica ? _replica : _primary;
        return new TableContent(
            await server.ScalarAsync<long>($"SELECT COUNT(*) FROM {_table}"),
            await ReplicaProbe.ChecksumAsync(server, _table)
        );
    }

    public async Task<ReplicaState> ReplicaStateAsync()
    {
        var status = await ReplicaProbe.SlaveStatusAsync(_replica);
        return ReplicaState.Read(status, ReplicaStatusNames.MariaDb, ReplicaProbe.Describe(status));
    }

    public ValueTask DisposeAsync() => _replica.DisposeAsync();
}
