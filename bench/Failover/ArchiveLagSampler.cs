using System.Diagnostics;
using System.Text.Json;
using MysqlAgent.TestSupport.Failover;

namespace MysqlBench.Failover;

/// <summary>
/// The RPO a point-in-time restore would have had, once a second while a run's writer writes: the
/// newest acknowledged write's time minus the newest <c>lastEventAt</c> among the archive's binlog
/// manifests (<c>&lt;archive&gt;/&lt;id&gt;/manifest.json</c>). Before the first binlog is archived no
/// write of the run can be restored: the lag is then the span since the run's first acknowledged
/// write (a lower bound), and those samples are also counted, so a reader sees how many there were.
/// </summary>
internal sealed class ArchiveLagSampler : IAsyncDisposable
{
    private readonly string _archive;
    private readonly PrimaryWriter _writer;
    private readonly DateTimeOffset _clockOrigin;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _lags = [];
    private readonly Task _loop;
    private int _beforeFirstArchive;

    public ArchiveLagSampler(string archive, PrimaryWriter writer, Stopwatch clock)
    {
        _archive = archive;
        _writer = writer;
        _clockOrigin = TimeProvider.System.GetUtcNow() - clock.Elapsed;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Stops sampling: the lags in seconds, and the samples taken before any binlog was archived.</summary>
    public async Task<(IReadOnlyList<double> Lags, int BeforeFirstArchive)> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        return (_lags.ToList(), _beforeFirstArchive);
    }

    /// <summary>The newest <c>lastEventAt</c> among the manifests under <paramref name="archive"/>; null when there is none.</summary>
    public static DateTimeOffset? NewestArchivedEvent(string archive)
    {
        if (!Directory.Exists(archive))
        {
            return null;
        }

        DateTimeOffset? newest = null;
        foreach (
            var manifest in Directory.EnumerateFiles(
                archive,
                "manifest.json",
                SearchOption.AllDirectories
            )
        )
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(manifest));
                if (
                    json.RootElement.TryGetProperty("lastEventAt", out var at)
                    && at.TryGetDateTimeOffset(out var lastEventAt)
                    && (newest is null || lastEventAt > newest)
                )
                {
                    newest = lastEventAt;
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Being written: the next sample reads it.
            }
        }

        return newest;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Sample()
    {
        var acknowledged = _writer.Acknowledged;
        if (acknowledged.Count == 0)
        {
            return;
        }

        var newestWrite = _clockOrigin + acknowledged[^1].At;
        if (NewestArchivedEvent(_archive) is { } archived)
        {
            _lags.Add(Math.Max(0, (newestWrite - archived).TotalSeconds));
        }
        else
        {
            // Nothing archived yet: every write of the run is at risk, so the lag is at least the
            // span since its first acknowledged write (the set held no rows of this table before).
            _beforeFirstArchive++;
            _lags.Add((acknowledged[^1].At - acknowledged[0].At).TotalSeconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
