using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace MysqlBench.Failover;

/// <summary>
/// Every 100 ms, which pods are writable (<c>@@read_only = 0</c>). Each pod is asked by a loop of
/// its own, so a frozen pod stalls only its own answers. A pod counts by its last answer while that
/// answer is fresh (at most <see cref="Fresh"/> old); a pod that has not answered for longer is
/// silent (a frozen or dead server) and is not counted as writable, whatever it last said: a
/// stopped server commits nothing. Samples with a silent pod are counted apart, and so are the
/// samples that would show two writable pods if a silent pod's last answer stood.
/// </summary>
internal sealed class WritableSampler : IAsyncDisposable
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    private readonly LocalSet _set;
    private readonly Stopwatch _clock;
    private readonly (bool Writable, TimeSpan At)?[] _answers = new (bool, TimeSpan)?[
        LocalSet.Pods
    ];
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private int _samples;
    private int _twoWritable;
    private int _withSilentPod;
    private int _twoWritableCountingSilent;
    private readonly List<TimeSpan> _twoWritableAt = [];

    private WritableSampler(LocalSet set, Stopwatch clock)
    {
        _set = set;
        _clock = clock;
    }

    /// <summary>The counts so far.</summary>
    public sealed record Counts(
        int Samples,
        int TwoWritable,
        int WithSilentPod,
        int TwoWritableCountingSilent,
        IReadOnlyList<TimeSpan> TwoWritableAt
    );

    public static WritableSampler Start(LocalSet set, Stopwatch clock)
    {
        var sampler = new WritableSampler(set, clock);
        sampler._run = Task.WhenAll(
            Enumerable
                .Range(0, LocalSet.Pods)
                .Select(o => Task.Run(() => sampler.AskAsync(o), CancellationToken.None))
                .Append(Task.Run(sampler.SampleAsync, CancellationToken.None))
        );
        return sampler;
    }

    public async Task<Counts> StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
        return new Counts(
            _samples,
            _twoWritable,
            _withSilentPod,
            _twoWritableCountingSilent,
            _twoWritableAt
        );
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
                var now = _clock.Elapsed;
                int writable = 0,
                    silentWritable = 0,
                    silent = 0;
                lock (_answers)
                {
                    foreach (var answer in _answers)
                    {
                        if (answer is { } a && now - a.At <= Fresh)
                        {
                            writable += a.Writable ? 1 : 0;
                        }
                        else
                        {
                            silent++;
                            silentWritable += answer is { Writable: true } ? 1 : 0;
                        }
                    }
                }

                _samples++;
                if (writable >= 2)
                {
                    _twoWritable++;
                    _twoWritableAt.Add(now);
                }

                _withSilentPod += silent > 0 ? 1 : 0;
                _twoWritableCountingSilent += writable + silentWritable >= 2 ? 1 : 0;
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
                try
                {
                    connection ??= await _set.ConnectAsync(ordinal, _stop.Token);
                    await using var query = new MySqlCommand("SELECT @@read_only", connection);
                    var writable =
                        Convert.ToInt64(
                            await query.ExecuteScalarAsync(_stop.Token),
                            CultureInfo.InvariantCulture
                        ) == 0;
                    lock (_answers)
                    {
                        _answers[ordinal] = (writable, _clock.Elapsed);
                    }
                }
                catch (Exception e)
                    when (e is MySqlException or InvalidOperationException or IOException
                        || (e is OperationCanceledException && !_stop.IsCancellationRequested)
                    )
                {
                    // No answer: the pod's last answer ages until it counts as silent.
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
