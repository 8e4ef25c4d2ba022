using System.Globalization;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.IntegrationTests.Replication;

namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>
/// A MySQL primary and a replica holding a copy of one table with the clone's info file
/// (<see cref="MysqlManualClone"/>), for <see cref="SetupCrashScenario"/>.
/// </summary>
internal sealed class MysqlSetupCrashPair : ISetupCrashPair, IAsyncDisposable
{
    private static readonly string[] Described =
    [
        "Source_Host",
        "Source_Port",
        "Replica_IO_Running",
        "Replica_SQL_Running",
        "Auto_Position",
        "Last_IO_Errno",
        "Last_IO_Error",
        "Last_SQL_Errno",
        "Last_SQL_Error",
        "Relay_Source_Log_File",
        "Exec_Source_Log_Pos",
        "Retrieved_Gtid_Set",
        "Executed_Gtid_Set",
    ];

    private readonly MysqlServer _primary;
    private readonly MysqlServer _replica;
    private readonly string _table;

    private MysqlSetupCrashPair(
        MysqlServer primary,
        MysqlServer replica,
        string table,
        MysqlManualClone.Position clone,
        string dataDir,
        string mode
    )
    {
        _primary = primary;
        _replica = replica;
        _table = table;
        Clone = clone;
        Arguments = MysqlAgents.Replica(replica, primary, dataDir, mode);
    }

    public AgentArguments Arguments { get; }

    public int StatementCount => Statements(Arguments.Mode);

    /// <summary>
    /// MySQL's setup: STOP, RESET ALL, [RESET BINARY LOGS AND GTIDS, SET gtid_purged,] CHANGE
    /// REPLICATION SOURCE, START. The bracketed two run when the replica lacks the clone's GTIDs,
    /// as a replica fresh from <see cref="MysqlCrashReplica"/> always does.
    /// </summary>
    public static int Statements(string mode) => mode == "gtid" ? 6 : 4;

    /// <summary>The primary's position and GTID set when the clone was made.</summary>
    public MysqlManualClone.Position Clone { get; }

    /// <summary>A table of 20 rows in <paramref name="database"/> on the primary, copied to the fresh <paramref name="replica"/>.</summary>
    public static async Task<MysqlSetupCrashPair> CloneAsync(
        MysqlServer primary,
        MysqlServer replica,
        string mode,
        string database
    )
    {
        var dataDir = Directory.CreateTempSubdirectory("mysql-agent-mysql-crash-").FullName;
        var clone = await MysqlManualClone.CopyAsync(primary, replica, database, 20, dataDir);
        return new MysqlSetupCrashPair(
            primary,
            replica,
            MysqlManualClone.Table(database),
            clone,
            dataDir,
            mode
        );
    }

    public Task InsertOnPrimaryAsync(int first, int count) =>
        MysqlManualClone.InsertAsync(_primary, _table, first, first + count - 1);

    public async Task<TableContent> ContentAsync(bool onReplica)
    {
        var server = onReplica ? _replica : _primary;
        var checksum = (await server.RowsAsync($"CHECKSUM TABLE {_table}")).Single()["Checksum"];
        return new TableContent(
            await server.ScalarAsync<long>($"SELECT COUNT(*) FROM {_table}"),
            long.Parse(checksum, CultureInfo.InvariantCulture)
        );
    }

    public async Task<ReplicaState> ReplicaStateAsync()
    {
        var status =
            (await _replica.RowsAsync("SHOW REPLICA STATUS")).SingleOrDefault()
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var description =
            status.Count == 0
                ? "no replication configured"
                : string.Join(", ", Described.Select(k => $"{k}={status.GetValueOrDefault(k)}"));
        return ReplicaState.Read(status, ReplicaStatusNames.Mysql, description);
    }

    /// <summary>
    /// The GTIDs the replica should hold once it caught up: the primary's since the clone (file and
    /// position), or all of them (auto-position, where the clone's set became gtid_purged).
    /// </summary>
    public Task<string?> ExpectedGtidsAsync(string mode) =>
        mode == "gtid"
            ? _primary.GtidExecutedAsync()
            : _primary.ScalarAsync<string>(
                $"SELECT GTID_SUBTRACT(@@GLOBAL.gtid_executed, '{Clone.GtidSet}')"
            );

    /// <summary>True when the replica's gtid_executed is exactly <paramref name="gtids"/>.</summary>
    public async Task<bool> ReplicaHasExactlyAsync(string gtids) =>
        await _replica.ScalarAsync<long>(
            $"SELECT GTID_SUBSET('{gtids}', @@GLOBAL.gtid_executed) AND GTID_SUBSET(@@GLOBAL.gtid_executed, '{gtids}')"
        ) == 1;

    public Task<string?> ReplicaGtidsAsync() => _replica.GtidExecutedAsync();

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Arguments.DataDir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
