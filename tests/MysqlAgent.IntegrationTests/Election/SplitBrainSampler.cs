using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Election;

/// <summary>
/// Every 100 ms, how many servers of the set are writable and how many agents call themselves
/// primary, for the whole test: a failover must never show two of either.
/// </summary>
internal sealed class SplitBrainSampler : IAsyncDisposable
{
    private readonly ElectedSet _set;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _lock = new();
    private readonly List<string> _doubles = [];
    private readonly HashSet<int> _primariesSeen = [];

    public SplitBrainSampler(ElectedSet set)
    {
        _set = set;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public int Samples { get; private set; }

    /// <summary>Samples with two writable servers or two agents reporting primary.</summary>
    public IReadOnlyList<string> Doubles
    {
        get
        {
            lock (_lock)
            {
                return [.. _doubles];
            }
        }
    }

    /// <summary>Forget which agents were primary so far (call at the fault).</summary>
    public void ResetPrimariesSeen()
    {
        lock (_lock)
        {
            _primariesSeen.Clear();
        }
    }

    /// <summary>The ordinals whose agent reported primary in some sample since the last reset.</summary>
    public IReadOnlySet<int> PrimariesSeen
    {
        get
        {
            lock (_lock)
            {
                return new HashSet<int>(_primariesSeen);
            }
        }
    }

    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return Samples;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var writable = new List<int>();
                for (var i = 0; i < _set.Servers.Count; i++)
                {
                    if (await ElectedSet.WritableAsync(_set.Servers[i]))
                    {
                        writable.Add(i);
                    }
                }

                var primaries = Enumerable
                    .Range(0, _set.Agents.Count)
                    .Where(i => _set.Role(i).IsPrimary)
                    .ToList();
                lock (_lock)
                {
                    Samples++;
                    _primariesSeen.UnionWith(primaries);
                    if (writable.Count > 1 || primaries.Count > 1)
                    {
                        _doubles.Add(
                            $"sample {Samples}: writable [{string.Join(",", writable)}], primary agents [{string.Join(",", primaries)}]"
                        );
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }
}
