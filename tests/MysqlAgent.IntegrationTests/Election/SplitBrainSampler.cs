using System.Globalization;
using MysqlAgent.TestSupport.Failover;
using MySqlConnector;

namespace MysqlAgent.IntegrationTests.Election;

/// <summary>
/// For the whole test, every 100 ms: which servers of the set are writable, by the shared
/// <see cref="WritableSampler"/> and its rule for "two writable", and how many agents call
/// themselves primary. A failover must never show two of either.
/// </summary>
internal sealed class SplitBrainSampler : IAsyncDisposable
{
    private readonly ElectedSet _set;
    private readonly WritableSampler _writable;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _lock = new();
    private readonly List<string> _primaryDoubles = [];
    private readonly HashSet<int> _primariesSeen = [];

    public SplitBrainSampler(ElectedSet set)
    {
        _set = set;
        _writable = WritableSampler.Start(
            set.Servers.Select(server =>
                    (Func<CancellationToken, Task<MySqlConnection>>)(
                        ct => server.OpenConnectionAsync(ct: ct)
                    )
                )
                .ToList()
        );
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Samples of the writable servers.</summary>
    public int Samples => _writable.Samples.Count;

    /// <summary>Samples with two writable servers (outside a thaw window: these tests freeze nothing) or two agents reporting primary.</summary>
    public IReadOnlyList<string> Doubles
    {
        get
        {
            var writable = _writable.TwoWritable.Select(s =>
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"at {s.At.TotalSeconds:0.0} s: writable [{string.Join(",", s.Writable)}]"
                )
            );
            lock (_lock)
            {
                return [.. writable, .. _primaryDoubles];
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
        await _writable.StopAsync();
        return Samples;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        await _writable.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var primaries = Enumerable
                    .Range(0, _set.Agents.Count)
                    .Where(i => _set.Role(i).IsPrimary)
                    .ToList();
                lock (_lock)
                {
                    _primariesSeen.UnionWith(primaries);
                    if (primaries.Count > 1)
                    {
                        _primaryDoubles.Add(
                            string.Create(
                                CultureInfo.InvariantCulture,
                                $"at {_writable.Now.TotalSeconds:0.0} s: primary agents [{string.Join(",", primaries)}]"
                            )
                        );
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }
}
