using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// Every 100 ms, which pods are writable (<c>@@read_only = 0</c>): the one sampler of the bench,
/// the end-to-end tests and the integration tests. A pod is anything a connection can be opened
/// to (a local set's mysqld port, a test's own server); each is asked by a loop of its own, on one
/// connection kept open, so a frozen pod stalls only its own answers.
/// <para>
/// The rule for "two writable": a pod counts as writable in a sample when its last answer said
/// <c>read_only = 0</c> and came at most <see cref="Fresh"/> before the sample. A pod that has not
/// answered for longer, or whose last question failed (refused, killed), is silent and not counted
/// writable, whatever it said before: a stopped or dead server commits nothing. A sample with two
/// or more writable pods is a split brain. Samples with a silent pod are counted apart, and so are
/// the samples that would show two writable pods if a silent pod's last answer stood.
/// </para>
/// <para>
/// The thaw window: a frozen (SIGSTOPped) mysqld holds the sampler's question in its socket and
/// answers it, with the <c>read_only = 0</c> it had when it stopped, the instant it resumes, before
/// its agent runs and fences it; no agent code can remove such a sample. So the safety property is
/// "no two writable pods, except in the first second after a frozen process resumes". The harness
/// tells the sampler of each thaw (<see cref="RecordThaw"/>); a two-writable sample in which a
/// pod inside its <see cref="ThawWindow"/> is one of the writable pods is counted as
/// <see cref="WritableCounts.TwoWritableInThawWindow"/>, every other one as
/// <see cref="WritableCounts.TwoWritable"/>, which assertions and goals require to be 0.
/// </para>
/// </summary>
public sealed class WritableSampler : IAsyncDisposable
{
    /// <summary>How old an answer may be and still count.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    /// <summary>How long after a thaw a two-writable sample with the thawed pod is counted apart.</summary>
    public static readonly TimeSpan ThawAllowance = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<Func<CancellationToken, Task<MySqlConnection>>> _pods;
    private readonly Stopwatch _clock;
    private readonly Lock _lock = new();
    private readonly (bool Writable, TimeSpan At)?[] _fresh;
    private readonly bool[] _lastSaidWritable;
    private readonly TimeSpan[] _askedAt;
    private readonly List<WritableSample> _samples = [];
    private readonly List<ThawWindow> _thaws = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private WritableSampler(
        IReadOnlyList<Func<CancellationToken, Task<MySqlConnection>>> pods,
        Stopwatch clock
    )
    {
        _pods = pods;
        _clock = clock;
        _fresh = new (bool, TimeSpan)?[pods.Count];
        _lastSaidWritable = new bool[pods.Count];
        _askedAt = new TimeSpan[pods.Count];
    }

    /// <summary>Starts sampling the pods, each given as how to open a connection to it (index = pod number).</summary>
    /// <param name="clock">The clock samples are timed on: pass the writer's to compare times.</param>
    public static WritableSampler Start(
        IReadOnlyList<Func<CancellationToken, Task<MySqlConnection>>> pods,
        Stopwatch? clock = null
    )
    {
        var sampler = new WritableSampler(pods, clock ?? Stopwatch.StartNew());
        sampler._run = Task.WhenAll(
            Enumerable
                .Range(0, pods.Count)
                .Select(p => Task.Run(() => sampler.AskAsync(p), CancellationToken.None))
                .Append(Task.Run(sampler.SampleAsync, CancellationToken.None))
        );
        return sampler;
    }

    /// <summary>The sampler's clock, the one <see cref="WritableSample.At"/> is on.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<WritableSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    public IReadOnlyList<ThawWindow> Thaws
    {
        get
        {
            lock (_lock)
            {
                return [.. _thaws];
            }
        }
    }

    /// <summary>Two-writable samples outside every thaw window: the split brains.</summary>
    public IReadOnlyList<WritableSample> TwoWritable =>
        Samples.Where(s => s.TwoWritable && !InThawWindow(s, Thaws)).ToList();

    /// <summary>Two-writable samples in which a just-thawed pod is one of the writable ones.</summary>
    public IReadOnlyList<WritableSample> TwoWritableInThawWindow =>
        Samples.Where(s => s.TwoWritable && InThawWindow(s, Thaws)).ToList();

    /// <summary>
    /// Records that <paramref name="pod"/> was thawed: the harness began the thaw at
    /// <paramref name="from"/> and it had returned at <paramref name="resumedBy"/> (both on
    /// <see cref="Now"/>'s clock).
    /// </summary>
    public void RecordThaw(int pod, TimeSpan from, TimeSpan resumedBy)
    {
        lock (_lock)
        {
            _thaws.Add(new ThawWindow(pod, from, resumedBy));
        }
    }

    public WritableCounts Counts()
    {
        var samples = Samples;
        var thaws = Thaws;
        return new WritableCounts(
            samples.Count,
            samples.Count(s => s.TwoWritable && !InThawWindow(s, thaws)),
            samples.Count(s => s.TwoWritable && InThawWindow(s, thaws)),
            samples.Count(s => s.Silent.Count > 0),
            samples.Count(s => s.WritableCountingSilent.Count > 1)
        );
    }

    /// <summary>Whether a two-writable sample has a pod inside its thaw window among the writable ones.</summary>
    public static bool InThawWindow(WritableSample sample, IReadOnlyList<ThawWindow> thaws) =>
        sample.Writable.Any(p => thaws.Any(t => t.Covers(p, sample.At)));

    /// <summary>
    /// Waits until the pod's answer that samples use comes from a question asked after
    /// <paramref name="since"/> (each pod's loop lags by up to a query); returns when, on this
    /// clock. Every sample after that time reflects the pod as it was after <paramref name="since"/>.
    /// </summary>
    public async Task<TimeSpan> FreshAnswerAsync(int pod, TimeSpan since, TimeSpan? timeout = null)
    {
        await Eventually.UntilAsync(
            () =>
            {
                lock (_lock)
                {
                    return _askedAt[pod] > since;
                }
            },
            $"the sampler has an answer from pod {pod} asked after {since.TotalSeconds:0.0} s",
            timeout
        );
        return _clock.Elapsed;
    }

    /// <summary>"412 samples, 0 with two writable pods (1 in a thaw window); writable: mysql-0 from 0.1 s, then mysql-1 from 12.3 s".</summary>
    public string Summary(Func<int, string> name)
    {
        var samples = Samples;
        var counts = Counts();
        var runs = new List<string>();
        string? last = null;
        foreach (var sample in samples)
        {
            var now =
                sample.Writable.Count == 0
                    ? "none"
                    : string.Join("+", sample.Writable.Select(name));
            if (now != last)
            {
                runs.Add($"{now} from {sample.At.TotalSeconds:0.0} s");
                last = now;
            }
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{counts.Samples} samples, {counts.TwoWritable} with two writable pods outside a thaw window, {counts.TwoWritableInThawWindow} inside one; {counts.WithSilentPod} with a silent pod ({counts.TwoWritableCountingSilent} two writable counting its last answer); writable: {string.Join(", ", runs)}"
        );
    }

    public async Task<WritableCounts> StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
        return Counts();
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
                var writable = new List<int>();
                var silent = new List<int>();
                var countingSilent = new List<int>();
                lock (_lock)
                {
                    for (var pod = 0; pod < _pods.Count; pod++)
                    {
                        if (_fresh[pod] is { } answer && now - answer.At <= Fresh)
                        {
                            if (answer.Writable)
                            {
                                writable.Add(pod);
                                countingSilent.Add(pod);
                            }
                        }
                        else
                        {
                            silent.Add(pod);
                            if (_lastSaidWritable[pod])
                            {
                                countingSilent.Add(pod);
                            }
                        }
                    }

                    _samples.Add(new WritableSample(now, writable, silent, countingSilent));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task AskAsync(int pod)
    {
        using var timer = new PeriodicTimer(Period);
        MySqlConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var asked = _clock.Elapsed;
                try
                {
                    connection ??= await _pods[pod](_stop.Token);
                    await using var query = new MySqlCommand(
                        "SELECT @@GLOBAL.read_only",
                        connection
                    );
                    var writable =
                        Convert.ToInt64(
                            await query.ExecuteScalarAsync(_stop.Token),
                            CultureInfo.InvariantCulture
                        ) == 0;
                    lock (_lock)
                    {
                        _fresh[pod] = (writable, _clock.Elapsed);
                        _lastSaidWritable[pod] = writable;
                        _askedAt[pod] = asked;
                    }
                }
                catch (Exception e)
                    when (e is MySqlException or InvalidOperationException or IOException
                        || (e is OperationCanceledException && !_stop.IsCancellationRequested)
                    )
                {
                    // No answer: the pod is silent from now on, until it answers again.
                    lock (_lock)
                    {
                        _fresh[pod] = null;
                        _askedAt[pod] = asked;
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
