namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>One bootstrapped MySQL primary for the replication tests; each test clones it into its own replica.</summary>
public sealed class MysqlPrimary : IAsyncLifetime
{
    private readonly SemaphoreSlim _start = new(1, 1);
    private MysqlServer? _server;
    private string? _dataDir;

    public async Task<MysqlServer> GetAsync(MysqlEngine engine)
    {
        await _start.WaitAsync();
        try
        {
            if (_server is null)
            {
                _server = await engine.StartAsync(1);
                _dataDir = Directory.CreateTempSubdirectory("mysql-agent-mysql-primary-").FullName;
                await MysqlAgents.BootstrapAsync(MysqlAgents.Primary(_server, _dataDir));
            }

            return _server;
        }
        finally
        {
            _start.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_dataDir is not null)
        {
            Directory.Delete(_dataDir, recursive: true);
        }

        _start.Dispose();
    }
}
