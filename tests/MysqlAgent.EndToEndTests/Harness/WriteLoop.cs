using MySqlConnector;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>
/// The loop <see cref="RowWriter"/> runs: rows with ids 1, 2, 3… one per transaction into <see cref="RowWriter.Table"/>,
/// paced by timers (never sleeps), reconnecting after any error. Each acknowledged id goes to one
/// sink and each error to the other; an id whose outcome is unknown (the connection died) is never
/// written again, so no retry duplicates it.
/// </summary>
internal sealed class WriteLoop
{
    private long _nextId;

    /// <summary>Opens the connection the loop writes through.</summary>
    public required Func<CancellationToken, Task<MySqlConnection>> Connect { get; init; }

    public required Action<long> Acknowledged { get; init; }

    public required Action<Exception> Failed { get; init; }

    /// <summary>One write per tick.</summary>
    public required TimeSpan Pace { get; init; }

    /// <summary>After an error, a new connection at most once per tick.</summary>
    public required TimeSpan AfterError { get; init; }

    /// <summary>How long one connect and insert may take before the loop gives up on it, as a client's timeout would (a frozen server answers nothing); null: the connection's own timeouts.</summary>
    public TimeSpan? WriteTimeout { get; init; }

    /// <summary>Ids sent, acknowledged or not.</summary>
    public long Attempted => Interlocked.Read(ref _nextId);

    public async Task RunAsync(CancellationToken stop)
    {
        using var pace = new PeriodicTimer(Pace);
        using var afterError = new PeriodicTimer(AfterError);
        MySqlConnection? connection = null;
        try
        {
            while (await pace.WaitForNextTickAsync(stop))
            {
                var id = Interlocked.Increment(ref _nextId);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    if (WriteTimeout is { } limit)
                    {
                        timeout.CancelAfter(limit);
                    }

                    connection ??= await Connect(timeout.Token);
                    await using var insert = new MySqlCommand(
                        $"INSERT INTO {RowWriter.Table} (id, payload) VALUES (@id, SHA2(@id, 256))",
                        connection
                    );
                    insert.Parameters.AddWithValue("@id", id);
                    await insert.ExecuteNonQueryAsync(timeout.Token);
                    Acknowledged(id);
                }
                catch (Exception e)
                    when (e is MySqlException or InvalidOperationException or IOException
                        || (e is OperationCanceledException && !stop.IsCancellationRequested)
                    )
                {
                    Failed(e);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    await afterError.WaitForNextTickAsync(stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
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
