namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>
/// One MySQL replica container for every case of <see cref="MysqlReplicationTests"/>: a container
/// start costs 30-60 s on a loaded machine, a reset a fraction of a second. Each case gets it back
/// as a fresh server would be: no replication configured, no GTID history, writable, none of the
/// earlier cases' databases.
/// </summary>
public sealed class MysqlCrashReplica : IAsyncLifetime
{
    private const int ServerId = 5;
    private MysqlServer? _server;

    public async Task<MysqlServer> FreshAsync(MysqlEngine engine)
    {
        if (_server is null)
        {
            _server = await engine.StartAsync(ServerId);
            return _server;
        }

        await _server.ExecuteAsync("STOP REPLICA");
        await _server.ExecuteAsync("RESET REPLICA ALL");
        // The agent turned these on; the tests' own writes below need them off.
        await _server.ExecuteAsync("SET GLOBAL super_read_only = OFF");
        await _server.ExecuteAsync("SET GLOBAL read_only = OFF");
        var databases = await _server.RowsAsync(
            "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'crash\\_%'"
        );
        foreach (var database in databases)
        {
            await _server.ExecuteAsync($"DROP DATABASE {database["name"]}");
        }

        // MySQL 8.4's name for RESET MASTER: an empty gtid_executed, as on a new server.
        await _server.ExecuteAsync("RESET BINARY LOGS AND GTIDS");
        return _server;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
