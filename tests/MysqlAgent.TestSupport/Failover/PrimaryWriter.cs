using System.Diagnostics;
using MySqlConnector;

namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// An application writing through a local set's <c>mysql-primary</c> port: rows with ids 1, 2, 3…
/// one per transaction every 10 ms, as an account without SUPER or READ ONLY ADMIN (root would
/// write through read_only, MariaDB's root holding READ ONLY ADMIN, and the fencing agent spares
/// its own admin user's connections, so a root writer would not see a fence). Every acknowledged
/// write is logged with its id and time, so a caller can tell when writes stopped and came back.
/// After any error (a killed or fenced primary, a refused connection while nobody holds the Lease)
/// the connection is dropped and a new one made, at most every 100 ms; a silent server is given up
/// after 5 s, as a client's timeout would. An id whose outcome is unknown is never written again.
/// A new connection is raced: while no attempt has answered, another starts every 100 ms (see
/// <see cref="ConnectAsync"/>), so the time writes come back measures when mysql-primary takes
/// writes again, not the 3 s connect timeout of an attempt routed to a frozen pod before the Lease
/// moved. The one writer of the end-to-end tests and the bench.
/// </summary>
public sealed class PrimaryWriter : IAsyncDisposable
{
    private const string Password = "writer-5Xr8-7Q2v";

    private readonly LocalSet _set;
    private readonly Stopwatch _clock;
    private readonly (string User, string Password) _account;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<AcknowledgedWrite> _acknowledged = [];
    private readonly List<string> _errors = [];
    private readonly List<TimeSpan> _errorTimes = [];
    private Task _run = Task.CompletedTask;
    private long _nextId;

    private PrimaryWriter(LocalSet set, string table, Stopwatch clock)
    {
        _set = set;
        Table = table;
        _clock = clock;
        _account = (Database(table) + "_writer", Password);
    }

    /// <summary>The table written, <c>database.table</c>.</summary>
    public string Table { get; }

    /// <summary>The writer's clock, the one <see cref="AcknowledgedWrite.At"/> is on.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<AcknowledgedWrite> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return [.. _acknowledged];
            }
        }
    }

    /// <summary>Each failed write: when and why.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public string LastError
    {
        get
        {
            lock (_errors)
            {
                return _errors.Count > 0 ? _errors[^1] : "";
            }
        }
    }

    /// <summary>Ids sent, acknowledged or not: every id on a pod must be one of 1..this.</summary>
    public long Attempted => Interlocked.Read(ref _nextId);

    /// <summary>
    /// Creates <paramref name="table"/> (<c>database.table</c>) and the writer's account through
    /// mysql-primary as root, once it takes writes, then starts writing.
    /// </summary>
    /// <param name="clock">The clock writes are timed on: pass the sampler's to compare times.</param>
    public static async Task<PrimaryWriter> StartAsync(
        LocalSet set,
        string table,
        Stopwatch? clock = null,
        TimeSpan? timeout = null,
        CancellationToken ct = default
    )
    {
        var writer = new PrimaryWriter(set, table, clock ?? Stopwatch.StartNew());
        var (user, password) = writer._account;
        await set.WaitUntilAsync(
            "mysql-primary takes a write",
            async () =>
            {
                await using var connection = await set.ConnectPrimaryAsync(null, ct);
                await using var command = new MySqlCommand(
                    $"""
                    CREATE DATABASE IF NOT EXISTS {Database(table)};
                    CREATE TABLE IF NOT EXISTS {table} (id BIGINT PRIMARY KEY, payload VARCHAR(64) NOT NULL);
                    CREATE USER IF NOT EXISTS '{user}'@'%' IDENTIFIED BY '{password}';
                    GRANT SELECT, INSERT ON {Database(table)}.* TO '{user}'@'%';
                    """,
                    connection
                );
                await command.ExecuteNonQueryAsync(ct);
                return true;
            },
            timeout,
            ct
        );
        writer._run = Task.Run(writer.RunAsync, CancellationToken.None);
        return writer;
    }

    /// <summary>Waits until <paramref name="count"/> more writes are acknowledged than now.</summary>
    public Task WaitForMoreAsync(
        int count,
        TimeSpan? timeout = null,
        CancellationToken ct = default
    )
    {
        var target = Acknowledged.Count + count;
        return _set.WaitUntilAsync(
            $"{count} more writes are acknowledged through mysql-primary (errors: {string.Join(" | ", Errors.TakeLast(3))})",
            () => Task.FromResult(Acknowledged.Count >= target),
            timeout,
            ct
        );
    }

    /// <summary>The first write acknowledged after <paramref name="since"/>, once there is one.</summary>
    public async Task<AcknowledgedWrite> FirstAfterAsync(
        TimeSpan since,
        TimeSpan? timeout = null,
        CancellationToken ct = default
    )
    {
        AcknowledgedWrite? first = null;
        await _set.WaitUntilAsync(
            $"a write is acknowledged through mysql-primary after {since.TotalSeconds:0.0} s (errors: {string.Join(" | ", Errors.TakeLast(3))})",
            () =>
            {
                first = Acknowledged.FirstOrDefault(w => w.At > since);
                return Task.FromResult(first is not null);
            },
            timeout,
            ct
        );
        return first!;
    }

    /// <summary>
    /// The outage a fault at or after <paramref name="since"/> caused, once writes came back: the
    /// first failed write after it, the last write acknowledged before that failure, and the first
    /// acknowledged write after it. A write in flight when the fault hit may still be acknowledged,
    /// so "the first write after the fault" would measure nothing.
    /// </summary>
    public async Task<WriterOutage> OutageAfterAsync(
        TimeSpan since,
        TimeSpan? timeout = null,
        CancellationToken ct = default
    )
    {
        WriterOutage? outage = null;
        await _set.WaitUntilAsync(
            $"writes through mysql-primary fail after {since.TotalSeconds:0.0} s, then succeed again",
            () =>
            {
                TimeSpan? failed;
                lock (_errors)
                {
                    failed = _errorTimes.Where(t => t >= since).Cast<TimeSpan?>().FirstOrDefault();
                }

                if (failed is { } f)
                {
                    var acknowledged = Acknowledged;
                    var resumed = acknowledged.FirstOrDefault(w => w.At > f);
                    var before = acknowledged.LastOrDefault(w => w.At < f)?.At ?? since;
                    outage = resumed is null ? null : new WriterOutage(before, f, resumed);
                }

                return Task.FromResult(outage is not null);
            },
            timeout,
            ct
        );
        return outage!;
    }

    /// <summary>The longest time between two acknowledged writes within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public TimeSpan LongestPause(TimeSpan from, TimeSpan to)
    {
        var times = Acknowledged.Select(w => w.At).Where(t => t >= from && t <= to).ToList();
        return times.Count < 2 ? to - from : times.Zip(times.Skip(1), (a, b) => b - a).Max();
    }

    /// <summary>Stops writing; returns the acknowledged ids.</summary>
    public async Task<IReadOnlyList<long>> StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
        return Acknowledged.Select(w => w.Id).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private static string Database(string table) =>
        table[..table.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>
    /// A connection through mysql-primary as the writer: attempts start every 100 ms until one
    /// answers (the others are dropped), as many clients opening connections would find the new
    /// primary while an earlier attempt still waits for the frozen one's handshake. Throws the last
    /// attempt's error when <paramref name="ct"/> ends or every attempt failed by then.
    /// </summary>
    private async Task<MySqlConnection> ConnectAsync(CancellationToken ct)
    {
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var next = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var attempts = new List<Task<MySqlConnection>>();
        Exception? last = null;
        try
        {
            while (true)
            {
                attempts.Add(_set.ConnectPrimaryAsync(_account, giveUp.Token));
                var tick = next.WaitForNextTickAsync(ct).AsTask();
                while (!tick.IsCompleted)
                {
                    var done = await Task.WhenAny(attempts.Cast<Task>().Append(tick));
                    if (done == tick)
                    {
                        break;
                    }

                    var attempt = (Task<MySqlConnection>)done;
                    attempts.Remove(attempt);
                    if (attempt.IsCompletedSuccessfully)
                    {
                        return attempt.Result;
                    }

                    last = attempt.Exception?.InnerException ?? last;
                }

                await tick;
            }
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested && last is not null)
        {
            // The caller's limit: the last attempt's error says more than the cancellation.
        }
        finally
        {
            await giveUp.CancelAsync();
            foreach (var attempt in attempts)
            {
                try
                {
                    await (await attempt).DisposeAsync();
                }
                catch (Exception e)
                    when (e
                            is MySqlException
                                or InvalidOperationException
                                or IOException
                                or System.Net.Sockets.SocketException
                                or OperationCanceledException
                    )
                {
                    // A losing attempt that failed: nothing to close.
                }
            }
        }

        // Only the caller's limit ends the loop: the last attempt's error, or the cancellation.
        throw last!;
    }

    // Paced by timers: a write every 10 ms, and after an error a new connection every 100 ms at most.
    private async Task RunAsync()
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        using var afterError = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        MySqlConnection? connection = null;
        try
        {
            while (await pace.WaitForNextTickAsync(_stop.Token))
            {
                var id = Interlocked.Increment(ref _nextId);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(
                        _stop.Token
                    );
                    // A frozen primary answers nothing: give up on it after 5 s, as a client's timeout would.
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    connection ??= await ConnectAsync(timeout.Token);
                    await using var insert = new MySqlCommand(
                        $"INSERT INTO {Table} (id, payload) VALUES (@id, SHA2(@id, 256))",
                        connection
                    );
                    insert.Parameters.AddWithValue("@id", id);
                    await insert.ExecuteNonQueryAsync(timeout.Token);
                    lock (_acknowledged)
                    {
                        _acknowledged.Add(new AcknowledgedWrite(id, _clock.Elapsed));
                    }
                }
                catch (Exception e)
                    when (e
                            is MySqlException
                                or InvalidOperationException
                                or IOException
                                // A connection the forwarder cut, written to: not always wrapped by the driver.
                                or System.Net.Sockets.SocketException
                        || (e is OperationCanceledException && !_stop.IsCancellationRequested)
                    )
                {
                    lock (_errors)
                    {
                        _errors.Add($"{_clock.Elapsed.TotalSeconds:0.00} s: {e.Message}");
                        _errorTimes.Add(_clock.Elapsed);
                    }

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
