namespace MysqlAgent.TestSupport;

/// <summary>
/// Several servers started together and disposed together; when one fails to start, the ones
/// already up are disposed before the failure is thrown, so nothing leaks.
/// </summary>
public sealed class MariaDbServers : IAsyncDisposable, IReadOnlyList<MariaDbServer>
{
    private readonly IReadOnlyList<MariaDbServer> _servers;

    private MariaDbServers(IReadOnlyList<MariaDbServer> servers) => _servers = servers;

    public int Count => _servers.Count;

    public MariaDbServer this[int index] => _servers[index];

    /// <summary><paramref name="count"/> servers with server ids 1..count, otherwise <paramref name="template"/>.</summary>
    public static Task<MariaDbServers> StartAsync(
        int count,
        MariaDbServerOptions? template = null,
        CancellationToken ct = default
    )
    {
        var options = template ?? new MariaDbServerOptions();
        return StartAsync(
            Enumerable.Range(1, count).Select(id => options with { ServerId = id }),
            ct
        );
    }

    public static async Task<MariaDbServers> StartAsync(
        IEnumerable<MariaDbServerOptions> options,
        CancellationToken ct = default
    )
    {
        var starts = options.Select(o => MariaDbServer.StartAsync(o, ct)).ToList();
        try
        {
            return new MariaDbServers(await Task.WhenAll(starts).ConfigureAwait(false));
        }
        catch
        {
            await Task.WhenAll(
                    starts
                        .Where(start => start.IsCompletedSuccessfully)
                        .Select(start => start.Result.DisposeAsync().AsTask())
                )
                .ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_servers.Select(server => server.DisposeAsync().AsTask()))
            .ConfigureAwait(false);

    public IEnumerator<MariaDbServer> GetEnumerator() => _servers.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() =>
        GetEnumerator();
}
