using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>One bootstrapped primary for a whole test class; each test uses its own database on it.</summary>
public sealed class SharedPrimary : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await Primaries.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
