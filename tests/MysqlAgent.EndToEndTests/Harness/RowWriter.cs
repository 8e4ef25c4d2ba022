namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>
/// A steady write load on the primary: rows with ids 1, 2, 3… one per transaction, reconnecting
/// after errors (a killed server). It keeps the ids whose COMMIT was acknowledged; an id whose
/// outcome is unknown (the connection died) is never written again, so no retry duplicates it.
/// </summary>
public sealed class RowWriter : IAsyncDisposable
{
    public const string Table = "e2e.load";

    private readonly LocalSet _set;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _acknowledged = [];
    private readonly WriteLoop _loop;
    private Task _run = Task.CompletedTask;
    private int _errors;

    // A row every 5 ms, and after an error (a killed primary) a new connection every 200 ms at most.
    private RowWriter(LocalSet set)
    {
        _set = set;
        _loop = new WriteLoop
        {
            Connect = token => _set.ConnectAsync(0, token),
            Acknowledged = id =>
            {
                lock (_acknowledged)
                {
                    _acknowledged.Add(id);
                }
            },
            Failed = _ => Interlocked.Increment(ref _errors),
            Pace = TimeSpan.FromMilliseconds(5),
            AfterError = TimeSpan.FromMilliseconds(200),
        };
    }

    public int Errors => Volatile.Read(ref _errors);

    public IReadOnlyList<long> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return _acknowledged.ToList();
            }
        }
    }

    public static async Task<RowWriter> StartAsync(LocalSet set)
    {
        await using (var connection = await set.ConnectAsync(0))
        {
            await Sql.ExecuteAsync(connection, "CREATE DATABASE IF NOT EXISTS e2e");
            await Sql.ExecuteAsync(
                connection,
                $"CREATE TABLE IF NOT EXISTS {Table} (id BIGINT PRIMARY KEY, payload VARCHAR(64) NOT NULL)"
            );
        }

        var writer = new RowWriter(set);
        writer._run = Task.Run(() => writer._loop.RunAsync(writer._stop.Token));
        return writer;
    }

    /// <summary>Waits until at least <paramref name="count"/> more rows are acknowledged than now.</summary>
    public Task WaitForMoreAsync(int count)
    {
        var target = Acknowledged.Count + count;
        return _set.WaitUntilAsync(
            $"{count} more rows are written",
            () => Task.FromResult(Acknowledged.Count >= target)
        );
    }

    public async Task<IReadOnlyList<long>> StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
        return Acknowledged;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
