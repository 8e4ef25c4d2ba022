using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>
/// Every 100 ms, how many pods are writable (<c>@@read_only = 0</c>). Each pod is asked by a loop
/// of its own, so a frozen pod stalls only its own answers; a pod counts as writable from an answer
/// saying so until its next answer or error. A sample with two writable pods is a split brain.
/// </summary>
public sealed class WritableSampler : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    private readonly LocalSet _set;
    private readonly int _pods;
    private readonly bool?[] _writable;
    private readonly TimeSpan[] _askedAt;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Sample> _samples = [];
    private readonly Stopwatch _clock;
    private Task _run = Task.CompletedTask;

    private WritableSampler(LocalSet set, int pods, Stopwatch clock)
    {
        _set = set;
        _pods = pods;
        _writable = new bool?[pods];
        _askedAt = new TimeSpan[pods];
        _clock = clock;
    }

    /// <summary>One sample: when, and which pods were writable.</summary>
    public sealed record Sample(TimeSpan At, IReadOnlyList<int> Writable);

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>The sampler's clock, the one <see cref="Sample.At"/> is on.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Sample> TwoWritable => Samples.Where(s => s.Writable.Count > 1).ToList();

    public static WritableSampler Start(LocalSet set, int pods)
    {
        var sampler = new WritableSampler(set, pods, Stopwatch.StartNew());
        sampler._run = Task.WhenAll(
            Enumerable
                .Range(0, pods)
                .Select(o => Task.Run(() => sampler.AskAsync(o)))
                .Append(Task.Run(sampler.SampleAsync))
        );
        return sampler;
    }

    /// <summary>
    /// Waits until the pod's answer that samples use comes from a question asked after
    /// <paramref name="since"/> (each pod's loop lags by up to a query); returns when, on this
    /// clock. Every sample after that time reflects the pod as it was after <paramref name="since"/>.
    /// </summary>
    public async Task<TimeSpan> FreshAnswerAsync(int ordinal, TimeSpan since)
    {
        await _set.WaitUntilAsync(
            $"the sampler has an answer from mysql-{ordinal} asked after {since.TotalSeconds:0.0} s",
            () =>
            {
                lock (_writable)
                {
                    return Task.FromResult(_askedAt[ordinal] > since);
                }
            }
        );
        return _clock.Elapsed;
    }

    /// <summary>"412 samples, 0 with two writable pods; writable: mysql-0 until 12.3 s, then mysql-1".</summary>
    public string Summary()
    {
        var samples = Samples;
        var runs = new List<string>();
        string? last = null;
        foreach (var sample in samples)
        {
            var now =
                sample.Writable.Count == 0
                    ? "none"
                    : string.Join("+", sample.Writable.Select(o => $"mysql-{o}"));
            if (now != last)
            {
                runs.Add($"{now} from {sample.At.TotalSeconds:0.0} s");
                last = now;
            }
        }

        return $"{samples.Count} samples, {samples.Count(s => s.Writable.Count > 1)} with two writable pods; writable: {string.Join(", ", runs)}";
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

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var writable = new List<int>();
                lock (_writable)
                {
                    for (var ordinal = 0; ordinal < _pods; ordinal++)
                    {
                        if (_writable[ordinal] == true)
                        {
                            writable.Add(ordinal);
                        }
                    }
                }

                lock (_samples)
                {
                    _samples.Add(new Sample(_clock.Elapsed, writable));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task AskAsync(int ordinal)
    {
        using var timer = new PeriodicTimer(Period);
        MySqlConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                bool? writable;
                var asked = _clock.Elapsed;
                try
                {
                    connection ??= await _set.ConnectAsync(ordinal);
                    await using var query = new MySqlCommand("SELECT @@read_only", connection);
                    writable =
                        Convert.ToInt64(
                            await query.ExecuteScalarAsync(_stop.Token),
                            CultureInfo.InvariantCulture
                        ) == 0;
                }
                catch (Exception e)
                    when (e is MySqlException or InvalidOperationException or IOException
                        || (e is OperationCanceledException && !_stop.IsCancellationRequested)
                    )
                {
                    writable = null;
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }

                lock (_writable)
                {
                    _writable[ordinal] = writable;
                    _askedAt[ordinal] = asked;
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
