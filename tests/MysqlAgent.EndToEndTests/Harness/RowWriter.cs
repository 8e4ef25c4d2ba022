using MySqlConnector;

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
    private Task _run = Task.CompletedTask;
    private long _nextId;

    private RowWriter(LocalSet set) => _set = set;

    public int Errors { get; private set; }

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
        writer._run = Task.Run(writer.RunAsync);
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

    // Paced by timers, not sleeps: a row every 5 ms, and after an error (a killed primary) a new
    // connection every 200 ms at most.
    private async Task RunAsync()
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        using var afterError = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        MySqlConnection? connection = null;
        try
        {
            while (await pace.WaitForNextTickAsync(_stop.Token))
            {
                var id = ++_nextId;
                try
                {
                    connection ??= await _set.ConnectAsync(0);
                    await using var insert = new MySqlCommand(
                        $"INSERT INTO {Table} (id, payload) VALUES (@id, SHA2(@id, 256))",
                        connection
                    );
                    insert.Parameters.AddWithValue("@id", id);
                    await insert.ExecuteNonQueryAsync();
                    lock (_acknowledged)
                    {
                        _acknowledged.Add(id);
                    }
                }
                catch (Exception e)
                    when (e is MySqlException or InvalidOperationException or IOException)
                {
                    Errors++;
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    await afterError.WaitForNextTickAsync(_stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
