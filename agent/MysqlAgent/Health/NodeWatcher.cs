using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Hosting;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Health;

/// <summary>
/// Inspects the local mysqld every <see cref="Interval"/> and on demand when a reader needs a
/// fresher view, keeps the latest <see cref="NodeSnapshot"/>, feeds the metrics, and logs only
/// transitions (mysqld up/down, ready/not ready), so a down server is one line, not one per check.
/// </summary>
public sealed class NodeWatcher : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly NodeInspector _inspector;
    private readonly ReplicationSetupStatus _setup;
    private readonly NodeMetricsPublisher _metrics;
    private readonly AgentOptions _options;
    private readonly RoleProvider _role;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeWatcher> _logger;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private NodeSnapshot? _current;
    private bool? _wasUp;
    private bool? _wasReady;
    private DateTimeOffset? _unreachableSince;

    public NodeWatcher(
        NodeInspector inspector,
        ReplicationSetupStatus setup,
        NodeMetricsPublisher metrics,
        AgentOptions options,
        RoleProvider role,
        TimeProvider time,
        ILogger<NodeWatcher> logger
    )
    {
        _role = role;
        _inspector = inspector;
        _setup = setup;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The latest snapshot; null before the first check finished.</summary>
    public NodeSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>The latest snapshot if it is younger than <see cref="Interval"/>, else a new one.</summary>
    public async Task<NodeSnapshot> GetFreshAsync(CancellationToken cancellationToken)
    {
        if (Current is { } fresh && IsFresh(fresh))
        {
            return fresh;
        }

        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another request may have refreshed while this one waited.
            if (Current is { } refreshed && IsFresh(refreshed))
            {
                return refreshed;
            }

            return await CheckLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Inspects now, whatever the age of the last snapshot.</summary>
    public async Task<NodeSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CheckLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public override void Dispose()
    {
        _refreshing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The inspector turns server trouble into snapshots; this is a bug, and the
                // watcher must survive it so /healthz and /metrics keep serving.
                HealthLog.CheckCrashed(_logger, e);
            }
        } while (await TimerTicks.NextAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private bool IsFresh(NodeSnapshot snapshot) =>
        _time.GetUtcNow() - snapshot.CheckedAt < Interval;

    private async Task<NodeSnapshot> CheckLockedAsync(CancellationToken cancellationToken)
    {
        var snapshot = TrackSource(
            await _inspector.InspectAsync(cancellationToken).ConfigureAwait(false)
        );
        var verdict = ReadinessRules.Decide(snapshot, _setup.Current, _options, _role.View);
        Volatile.Write(ref _current, snapshot);
        _metrics.Publish(snapshot, verdict);
        LogTransitions(snapshot, verdict);
        return snapshot;
    }

    // The server does not say since when its IO thread has been connecting (MariaDB keeps no time
    // of the last IO error): the watcher remembers the first check that saw it so. A check that
    // cannot read the replica status keeps the memory; a running IO thread or no replica clears it.
    private NodeSnapshot TrackSource(NodeSnapshot snapshot)
    {
        if (snapshot.Error is not null || !snapshot.MysqldUp)
        {
            return _unreachableSince is null
                ? snapshot
                : snapshot with
                {
                    SourceUnreachableSince = _unreachableSince,
                };
        }

        if (snapshot.Replica is { IoThreadConnecting: true } replica)
        {
            if (_unreachableSince is null)
            {
                _unreachableSince = snapshot.CheckedAt;
                HealthLog.SourceUnreachable(
                    _logger,
                    Invariant($"{replica.SourceHost}:{replica.SourcePort}"),
                    replica.IoThread,
                    replica.LastIoErrorNumber == 0
                        ? ""
                        : Invariant($" (error {replica.LastIoErrorNumber}: {replica.LastIoError})"),
                    snapshot.StalenessSeconds is { } stale ? Invariant($"{stale:0.0} s") : "unknown"
                );
            }

            return snapshot with
            {
                SourceUnreachableSince = _unreachableSince,
            };
        }

        if (_unreachableSince is { } since && snapshot.Replica is { } back)
        {
            HealthLog.SourceReachable(
                _logger,
                Invariant($"{back.SourceHost}:{back.SourcePort}"),
                (long)(snapshot.CheckedAt - since).TotalSeconds
            );
        }

        _unreachableSince = null;
        return snapshot;
    }

    private static string Invariant(FormattableString text) =>
        text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void LogTransitions(NodeSnapshot snapshot, ReadinessVerdict verdict)
    {
        var endpoint = _options.LocalMysql.ToString();
        var up = snapshot.MysqldUp && snapshot.Error is null;
        if (_wasUp != up)
        {
            if (up)
            {
                HealthLog.MysqldUp(
                    _logger,
                    endpoint,
                    snapshot.Flavor,
                    snapshot.Version,
                    snapshot.ServerId
                );
            }
            else if (snapshot.MysqldUp)
            {
                HealthLog.InspectionFailed(_logger, endpoint, snapshot.Error);
            }
            else
            {
                HealthLog.MysqldDown(_logger, endpoint, snapshot.Error);
            }

            _wasUp = up;
        }

        if (_wasReady != verdict.Ready)
        {
            if (verdict.Ready)
            {
                HealthLog.BecameReady(_logger, verdict.Reason);
            }
            else
            {
                HealthLog.BecameNotReady(_logger, verdict.Reason);
            }

            _wasReady = verdict.Ready;
        }
    }
}
