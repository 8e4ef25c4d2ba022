using MySqlConnector;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>
/// A steady read load on one pod's mysqld, as clients of <c>mysql-read</c> send it: a query every
/// 50 ms on one connection, reconnecting after an error. Counts successes, failures and the longest
/// time between two successful reads.
/// </summary>
public sealed class ReadLoad : IAsyncDisposable
{
    private readonly LocalSet _set;
    private readonly int _ordinal;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _errors = [];
    private Task _run = Task.CompletedTask;
    private DateTimeOffset _lastSuccess;

    private ReadLoad(LocalSet set, int ordinal)
    {
        _set = set;
        _ordinal = ordinal;
    }

    public int Ordinal => _ordinal;

    public int Reads { get; private set; }

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

    /// <summary>The longest stretch without a successful read.</summary>
    public TimeSpan LongestGap { get; private set; }

    public static ReadLoad Start(LocalSet set, int ordinal)
    {
        var load = new ReadLoad(set, ordinal) { _lastSuccess = DateTimeOffset.UtcNow };
        load._run = Task.Run(load.RunAsync);
        return load;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        MySqlConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    connection ??= await _set.ConnectAsync(_ordinal);
                    await using var read = new MySqlCommand(
                        $"SELECT COUNT(*) FROM {RowWriter.Table}",
                        connection
                    );
                    await read.ExecuteScalarAsync(_stop.Token);
                    var now = DateTimeOffset.UtcNow;
                    LongestGap = TimeSpan.FromTicks(
                        Math.Max(LongestGap.Ticks, (now - _lastSuccess).Ticks)
                    );
                    _lastSuccess = now;
                    Reads++;
                }
                catch (Exception e)
                    when (e is MySqlException or InvalidOperationException or IOException)
                {
                    lock (_errors)
                    {
                        _errors.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {e.Message}");
                    }

                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
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
