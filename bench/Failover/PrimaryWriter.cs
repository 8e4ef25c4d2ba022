using System.Diagnostics;
using MySqlConnector;

namespace MysqlBench.Failover;

/// <summary>
/// An application writing through mysql-primary: rows with ids 1, 2, 3… one per transaction every
/// 10 ms, as an account without SUPER or READ ONLY ADMIN (root would write through read_only, and
/// the fencing agent spares its own admin user's connections, so a root writer would not see a
/// fence). Every acknowledged write is logged with its id and time; after any error the connection
/// is dropped and a new one made (at most every 100 ms). An id whose outcome is unknown is never
/// written again. A new connection is raced: while no attempt has answered, another starts every
/// 100 ms (see <see cref="ConnectAsync"/>), so the failover time measures when mysql-primary takes
/// writes again, not the 3 s connect timeout of an attempt routed to the frozen pod before the
/// Lease moved.
/// </summary>
internal sealed class PrimaryWriter : IAsyncDisposable
{
    public const string Table = "bench.failover";

    private static readonly (string User, string Password) Account = (
        "bench_writer",
        "bench-writer-5Xr8"
    );

    private readonly LocalSet _set;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Write> _acknowledged = [];
    private readonly List<TimeSpan> _errors = [];
    private string _lastError = "";
    private Task _run = Task.CompletedTask;
    private long _nextId;

    private PrimaryWriter(LocalSet set, Stopwatch clock)
    {
        _set = set;
        _clock = clock;
    }

    /// <summary>One acknowledged write: its id and when (on the run's clock) the COMMIT was acknowledged.</summary>
    public sealed record Write(long Id, TimeSpan At);

    /// <summary>
    /// A fault seen by the writer: the last write acknowledged before the first failure (the
    /// server was alive then), the first failure, and the first acknowledged write after it.
    /// </summary>
    public sealed record Outage(TimeSpan LastBefore, TimeSpan FirstError, Write Resumed);

    public IReadOnlyList<Write> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return [.. _acknowledged];
            }
        }
    }

    public int ErrorCount
    {
        get
        {
            lock (_errors)
            {
                return _errors.Count;
            }
        }
    }

    public string LastError
    {
        get
        {
            lock (_errors)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Creates the table and the account through mysql-primary as root (once it takes writes), then starts writing.</summary>
    public static async Task<PrimaryWriter> StartAsync(
        LocalSet set,
        Stopwatch clock,
        CancellationToken ct
    )
    {
        await Deadline.UntilAsync(
            "mysql-primary takes a write",
            TimeSpan.FromMinutes(2),
            async token =>
            {
                await using var connection = await set.ConnectPrimaryAsync(null, token);
                await using var command = new MySqlCommand(
                    $"""
                    CREATE DATABASE IF NOT EXISTS bench;
                    CREATE TABLE IF NOT EXISTS {Table} (id BIGINT PRIMARY KEY, payload VARCHAR(64) NOT NULL);
                    CREATE USER IF NOT EXISTS '{Account.User}'@'%' IDENTIFIED BY '{Account.Password}';
                    GRANT SELECT, INSERT ON bench.* TO '{Account.User}'@'%';
                    """,
                    connection
                );
                await command.ExecuteNonQueryAsync(token);
                return true;
            },
            ct
        );
        var writer = new PrimaryWriter(set, clock);
        writer._run = Task.Run(writer.RunAsync, CancellationToken.None);
        return writer;
    }

    /// <summary>Waits until <paramref name="count"/> more writes are acknowledged than now.</summary>
    public Task WaitForMoreAsync(int count, TimeSpan limit, CancellationToken ct)
    {
        var target = Acknowledged.Count + count;
        return Deadline.UntilAsync(
            $"{count} more writes acknowledged through mysql-primary (last error: {LastError})",
            limit,
            _ => Task.FromResult(Acknowledged.Count >= target),
            ct
        );
    }

    /// <summary>The first write acknowledged after <paramref name="since"/>, once there is one.</summary>
    public Task<Write> FirstAfterAsync(TimeSpan since, TimeSpan limit, CancellationToken ct) =>
        Deadline.ValueAsync(
            $"a write acknowledged through mysql-primary after {since.TotalSeconds:0.0} s (last error: {LastError})",
            limit,
            _ => Task.FromResult(Acknowledged.FirstOrDefault(w => w.At > since)),
            ct
        );

    /// <summary>
    /// The outage of a fault at or after <paramref name="since"/>: the first failed write, the last
    /// write acknowledged before it, and the first acknowledged write after it (when writes came
    /// back). A reply already on its way when the fault hit may still be acknowledged, so "the first
    /// write after the fault" could measure nothing.
    /// </summary>
    public Task<Outage> OutageAfterAsync(TimeSpan since, TimeSpan limit, CancellationToken ct) =>
        Deadline.ValueAsync(
            $"writes through mysql-primary fail after {since.TotalSeconds:0.0} s, then succeed again (last error: {LastError})",
            limit,
            _ =>
            {
                TimeSpan? failed;
                lock (_errors)
                {
                    failed = _errors.Where(t => t >= since).Cast<TimeSpan?>().FirstOrDefault();
                }

                if (failed is not { } f)
                {
                    return Task.FromResult<Outage?>(null);
                }

                var acknowledged = Acknowledged;
                var resumed = acknowledged.FirstOrDefault(w => w.At > f);
                var before = acknowledged.LastOrDefault(w => w.At < f)?.At ?? since;
                return Task.FromResult(resumed is null ? null : new Outage(before, f, resumed));
            },
            ct
        );

    /// <summary>The longest time between two acknowledged writes within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public TimeSpan LongestPause(TimeSpan from, TimeSpan to)
    {
        var times = Acknowledged.Select(w => w.At).Where(t => t >= from && t <= to).ToList();
        return times.Count < 2 ? to - from : times.Zip(times.Skip(1), (a, b) => b - a).Max();
    }

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
                attempts.Add(_set.ConnectPrimaryAsync(Account, giveUp.Token));
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
                        _acknowledged.Add(new Write(id, _clock.Elapsed));
                    }
                }
                catch (Exception e)
                    when (e is MySqlException or InvalidOperationException or IOException
                        || (e is OperationCanceledException && !_stop.IsCancellationRequested)
                    )
                {
                    lock (_errors)
                    {
                        _errors.Add(_clock.Elapsed);
                        _lastError = $"{_clock.Elapsed.TotalSeconds:0.00} s: {e.Message}";
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
