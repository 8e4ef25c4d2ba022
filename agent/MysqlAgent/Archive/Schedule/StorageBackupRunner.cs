using Microsoft.Extensions.Logging;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;

namespace MysqlAgent.Archive.Schedule;

/// <summary>What <see cref="StorageBackupRunner.TryStart"/> did.</summary>
public enum BackupStartResult
{
    /// <summary>A backup started in the background.</summary>
    Started,

    /// <summary>A backup to storage already runs on this pod (its run is returned).</summary>
    Running,

    /// <summary>This pod already took the tick (the run returned is that backup).</summary>
    Taken,

    /// <summary>--max-concurrent-backups streams already run (clones from this pod).</summary>
    Busy,

    /// <summary>This agent has no --target.</summary>
    NoTarget,
}

public sealed record BackupStart(BackupStartResult Result, BackupRunningDocument? Run);

/// <summary>
/// Runs <see cref="BackupToStorage"/> in the background on this pod, one at a time, into its own
/// <c>--target</c>, and remembers how the last ones went for <c>/status</c> and the metrics. A run
/// holds a slot of <c>--max-concurrent-backups</c>, as a clone's stream does, so that a pod never
/// runs more backup tools at once than it was told to. The agent's stop cancels a run (no manifest,
/// so no backup).
/// </summary>
public sealed class StorageBackupRunner : IAsyncDisposable, IDisposable
{
    private readonly AgentOptions _options;
    private readonly BackupStreamer _streamer;
    private readonly LocalServer _server;
    private readonly BackupConcurrencyLimiter _limiter;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private BackupStatusDocument _state = new();
    private Task _current = Task.CompletedTask;

    public StorageBackupRunner(
        AgentOptions options,
        BackupStreamer streamer,
        LocalServer server,
        BackupConcurrencyLimiter limiter,
        AgentMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers
    )
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _streamer = streamer;
        _server = server;
        _limiter = limiter;
        _metrics = metrics;
        _time = time;
        _logger = loggers.CreateLogger("MysqlAgent.Archive.BackupToStorage");
    }

    public BackupStatusDocument Status
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>The run in progress, or the last one (completed); never faults.</summary>
    internal Task Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public BackupStart TryStart(string? tick, string requestedBy)
    {
        if (_options.StorageTarget is null)
        {
            return new BackupStart(BackupStartResult.NoTarget, null);
        }

        BackupRunningDocument run;
        lock (_lock)
        {
            if (_state.Running is { } running)
            {
                return new BackupStart(BackupStartResult.Running, running);
            }

            if (tick is not null && _state.LastSuccess is { } last && last.Tick == tick)
            {
                return new BackupStart(
                    BackupStartResult.Taken,
                    new BackupRunningDocument
                    {
                        Tick = tick,
                        Id = last.Id,
                        StartedAt = last.FinishedAt.AddSeconds(-last.Seconds),
                    }
                );
            }

            if (!_limiter.TryAcquire(out var lease))
            {
                return new BackupStart(BackupStartResult.Busy, null);
            }

            var now = _time.GetUtcNow();
            run = new BackupRunningDocument
            {
                Tick = tick,
                Id = BackupKeys.NewId(now, _options.Pod.PodName),
                StartedAt = now,
            };
            _state = _state.Started(run);
            _current = Task.Run(() => RunAsync(run, lease), CancellationToken.None);
        }

        ScheduledBackupLog.RunStarted(
            _logger,
            run.Id,
            tick ?? "none",
            _options.StorageTarget,
            requestedBy
        );
        return new BackupStart(BackupStartResult.Started, run);
    }

    private async Task RunAsync(BackupRunningDocument run, IDisposable lease)
    {
        using (lease)
        {
            var started = _time.GetTimestamp();
            IDisposable? opened = null;
            try
            {
                var storage = StorageTarget.Open(_options);
                opened = storage as IDisposable;
                var manifest = await new BackupToStorage(
                    _options,
                    storage,
                    _streamer,
                    _server,
                    _time,
                    _logger
                )
                    .RunAsync(run.Id, run.Tick, _stop.Token)
                    .ConfigureAwait(false);
                var seconds = _time.GetElapsedTime(started).TotalSeconds;
                lock (_lock)
                {
                    _state = _state.Succeeded(manifest, seconds);
                }

                _metrics.BackupLastSuccess.Set(
                    manifest.FinishedAt.ToUnixTimeMilliseconds() / 1000.0
                );
                _metrics.BackupLastDuration.Set(seconds);
                _metrics.BackupLastBytes.Set(manifest.DataBytes);
                _metrics.BackupsToStorage.WithLabels("success").Inc();
            }
            catch (Exception e)
            {
                var reason =
                    e is OperationCanceledException && _stop.IsCancellationRequested
                        ? "cancelled: the agent stopped"
                        : e.Message;
                if (e is not (BackupFailedException or OperationCanceledException))
                {
                    // BackupToStorage logs its own failures; this one came before it ran.
                    ArchiveLog.Failed(_logger, run.Id, _options.StorageTarget ?? "", reason);
                }

                lock (_lock)
                {
                    _state = _state.Failed(run.Tick, reason, _time.GetUtcNow());
                }

                _metrics.BackupsToStorage.WithLabels("failed").Inc();
            }
            finally
            {
                opened?.Dispose();
            }
        }
    }

    /// <summary>Cancels a run without waiting for it (a container disposed synchronously).</summary>
    public void Dispose() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Current.ConfigureAwait(false);
        _stop.Dispose();
    }
}
