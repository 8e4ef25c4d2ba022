using System.Diagnostics;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>
/// A client of the <c>mysql-primary</c> Service: rows with ids 1, 2, 3… one per transaction,
/// through the kubelet's mysql-primary port, reconnecting after any error (a killed or fenced
/// primary, a refused connection while nobody holds the Lease). It logs every acknowledged write
/// with its time, so a test can tell when writes stopped and when they came back. An id whose
/// outcome is unknown is never written again.
/// </summary>
public sealed class PrimaryWriter : IAsyncDisposable
{
    public const string Table = RowWriter.Table;

    /// <summary>
    /// An application's account: no SUPER, no READ ONLY ADMIN, not the agent's admin user. root
    /// would write through read_only (MariaDB's root holds READ ONLY ADMIN) and the fencing agent
    /// spares its own admin user's connections, so a root writer would not see a fence at all.
    /// </summary>
    private static readonly (string User, string Password) Account = (
        "e2e_writer",
        "e2e-writer-7Q2v"
    );

    private readonly LocalSet _set;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Write> _acknowledged = [];
    private readonly List<string> _errors = [];
    private readonly List<TimeSpan> _errorTimes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly WriteLoop _loop;
    private Task _run = Task.CompletedTask;

    // A write every 10 ms, and after an error a new connection every 100 ms at most; a frozen
    // primary answers nothing: give up on it after 5 s, as a client's timeout would.
    private PrimaryWriter(LocalSet set)
    {
        _set = set;
        _loop = new WriteLoop
        {
            Connect = token => _set.ConnectPrimaryAsync(Account, token),
            Acknowledged = id =>
            {
                lock (_acknowledged)
                {
                    _acknowledged.Add(new Write(id, _clock.Elapsed));
                }
            },
            Failed = e =>
            {
                lock (_errors)
                {
                    _errors.Add($"{_clock.Elapsed.TotalSeconds:0.00} s: {e.Message}");
                    _errorTimes.Add(_clock.Elapsed);
                }
            },
            Pace = TimeSpan.FromMilliseconds(10),
            AfterError = TimeSpan.FromMilliseconds(100),
            WriteTimeout = TimeSpan.FromSeconds(5),
        };
    }

    /// <summary>One acknowledged write: its id and when (since the writer started) the COMMIT was acknowledged.</summary>
    public sealed record Write(long Id, TimeSpan At);

    public TimeSpan Now => _clock.Elapsed;

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

    /// <summary>Ids sent, acknowledged or not: every id on a pod must be one of 1..this.</summary>
    public long Attempted => _loop.Attempted;

    /// <summary>Creates the table through mysql-primary (once it takes writes) and starts writing.</summary>
    public static async Task<PrimaryWriter> StartAsync(LocalSet set)
    {
        await set.WaitUntilAsync(
            "mysql-primary takes a write",
            async () =>
            {
                await using var connection = await set.ConnectPrimaryAsync();
                await Sql.ExecuteAsync(connection, "CREATE DATABASE IF NOT EXISTS e2e");
                await Sql.ExecuteAsync(
                    connection,
                    $"CREATE TABLE IF NOT EXISTS {Table} (id BIGINT PRIMARY KEY, payload VARCHAR(64) NOT NULL)"
                );
                await Sql.ExecuteAsync(
                    connection,
                    $"CREATE USER IF NOT EXISTS '{Account.User}'@'%' IDENTIFIED BY '{Account.Password}'"
                );
                await Sql.ExecuteAsync(
                    connection,
                    $"GRANT SELECT, INSERT ON e2e.* TO '{Account.User}'@'%'"
                );
                return true;
            }
        );
        var writer = new PrimaryWriter(set);
        writer._run = Task.Run(() => writer._loop.RunAsync(writer._stop.Token));
        return writer;
    }

    /// <summary>Waits until <paramref name="count"/> more writes are acknowledged than now.</summary>
    public Task WaitForMoreAsync(int count, TimeSpan? timeout = null)
    {
        var target = Acknowledged.Count + count;
        return _set.WaitUntilAsync(
            $"{count} more writes are acknowledged through mysql-primary (errors: {string.Join(" | ", Errors.TakeLast(3))})",
            () => Task.FromResult(Acknowledged.Count >= target),
            timeout
        );
    }

    /// <summary>The first write acknowledged after <paramref name="since"/>, once there is one.</summary>
    public async Task<Write> FirstAfterAsync(TimeSpan since)
    {
        Write? first = null;
        await _set.WaitUntilAsync(
            $"a write is acknowledged through mysql-primary after {since.TotalSeconds:0.0} s (errors: {string.Join(" | ", Errors.TakeLast(3))})",
            () =>
            {
                first = Acknowledged.FirstOrDefault(w => w.At > since);
                return Task.FromResult(first is not null);
            }
        );
        return first!;
    }

    /// <summary>
    /// The outage a fault at <paramref name="since"/> caused, once writes came back: the first
    /// failed write after it, and the first acknowledged write after that failure. A write that
    /// was in flight when the fault hit may still be acknowledged, so "the first write after the
    /// fault" would measure nothing.
    /// </summary>
    public async Task<(TimeSpan FirstError, Write Resumed)> OutageAfterAsync(TimeSpan since)
    {
        TimeSpan? firstError = null;
        Write? resumed = null;
        await _set.WaitUntilAsync(
            $"writes through mysql-primary fail after {since.TotalSeconds:0.0} s, then succeed again",
            () =>
            {
                lock (_errors)
                {
                    firstError ??= _errorTimes
                        .Where(t => t >= since)
                        .Cast<TimeSpan?>()
                        .FirstOrDefault();
                }

                resumed = firstError is { } failed
                    ? Acknowledged.FirstOrDefault(w => w.At > failed)
                    : null;
                return Task.FromResult(resumed is not null);
            }
        );
        return (firstError!.Value, resumed!);
    }

    /// <summary>The longest time between two acknowledged writes within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public TimeSpan LongestPause(TimeSpan from, TimeSpan to)
    {
        var times = Acknowledged.Select(w => w.At).Where(t => t >= from && t <= to).ToList();
        return times.Count < 2 ? to - from : times.Zip(times.Skip(1), (a, b) => b - a).Max();
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
}
