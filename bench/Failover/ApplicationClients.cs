using System.Diagnostics;
using MysqlAgent.TestSupport;
using MysqlAgent.TestSupport.Failover;

namespace MysqlBench.Failover;

/// <summary>
/// The two kinds of application client issue 31 measures, writing through mysql-primary as an
/// application account with the driver's default timeouts (15 s to connect, no read timeout): one
/// opens a new connection per request (as PHP does), one keeps a pool of up to 4.
/// </summary>
internal sealed class ApplicationClients : IAsyncDisposable
{
    public const string PerRequest = "per-request";
    public const string Pooled = "pooled";

    private const string User = "bench_app";
    private const string Password = "bench-app-7Tq2";

    private readonly ApplicationClient[] _clients;

    private ApplicationClients(ApplicationClient[] clients) => _clients = clients;

    /// <summary>Creates the account and the table through mysql-primary, starts both clients and waits until each has written.</summary>
    public static async Task<ApplicationClients> StartAsync(
        LocalSet set,
        Stopwatch clock,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        await set.WaitUntilAsync(
            "mysql-primary takes the application account",
            async () =>
            {
                await using var root = await set.ConnectPrimaryAsync(null, ct);
                await ApplicationClient.PrepareAsync(root, User, Password);
                return true;
            },
            timeout,
            ct
        );
        var clients = new ApplicationClients([
            ApplicationClient.Start(PerRequest, set.PrimaryPort, User, Password, false, clock),
            ApplicationClient.Start(Pooled, set.PrimaryPort, User, Password, true, clock),
        ]);
        foreach (var client in clients._clients)
        {
            await Eventually.UntilAsync(
                () => client.Acknowledged.Count >= 20,
                $"the '{client.Name}' client writes through mysql-primary",
                timeout,
                () =>
                    Task.FromResult(
                        "its last errors: " + string.Join(" | ", client.Errors.TakeLast(3))
                    ),
                ct
            );
        }

        return clients;
    }

    /// <summary>
    /// Each client's gap across the fault at <paramref name="faultAt"/>, once it has written again
    /// (or <paramref name="timeout"/> passed), against the bench writer's first write after it.
    /// </summary>
    public async Task<IReadOnlyList<ClientGap>> GapsAsync(
        TimeSpan faultAt,
        TimeSpan? writerResumedAt,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        var gaps = new List<ClientGap>();
        foreach (var client in _clients)
        {
            try
            {
                await Eventually.UntilAsync(
                    () => client.FirstAfter(faultAt) is not null,
                    $"the '{client.Name}' client writes again after the fault",
                    timeout,
                    cancellationToken: ct
                );
            }
            catch (TimeoutException)
            {
                // Reported as no figure.
            }

            var first = client.FirstAfter(faultAt)?.At;
            var last = client.LastAtOrBefore(faultAt)?.At;
            gaps.Add(
                new ClientGap(
                    client.Name,
                    first - last is { } gap ? gap.TotalSeconds : null,
                    first - writerResumedAt is { } beyond ? beyond.TotalSeconds : null,
                    client.Acknowledged.Count,
                    client.Errors.Count
                )
            );
        }

        return gaps;
    }

    /// <summary>Stops both clients: the ids of every write they had acknowledged, in <see cref="ApplicationClient.Table"/>.</summary>
    public async Task<IReadOnlyList<long>> StopAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        return [.. _clients.SelectMany(c => c.Acknowledged).Select(w => w.Id)];
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
