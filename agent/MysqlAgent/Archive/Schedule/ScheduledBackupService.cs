using Microsoft.Extensions.Logging;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using MysqlAgent.Election;
using MysqlAgent.Health;
using MysqlAgent.Hosting;
using MysqlAgent.Metrics;
using MysqlAgent.Storage;
using Polly;

namespace MysqlAgent.Archive.Schedule;

/// <summary>
/// <c>serve --backup-schedule</c>: while this pod is the primary (<see cref="RoleProvider.IsPrimary"/>,
/// asked at every turn, so a failover needs no restart), it decides each tick once
/// (<see cref="ScheduleTurn"/>): a tick that a backup in storage names, or that runs on some pod
/// (their <c>/status</c>), is skipped; otherwise it is triggered on the ready replica with the least
/// lag, else taken here (<see cref="BackupSourceChoice"/>). The tick is in the manifest, so a new
/// primary after a failover sees what its predecessor took.
/// </summary>
public sealed class ScheduledBackupService : BackgroundService
{
    /// <summary>How often the clock is looked at: a tick starts at most this late.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    // A backup for a tick starts after it, on a pod whose clock may be a little behind ours.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromMinutes(2);

    private readonly AgentOptions _options;
    private readonly BackupSchedule _schedule;
    private readonly RoleProvider _role;
    private readonly StorageBackupRunner _runner;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduledBackupService> _logger;
    private readonly ResiliencePipeline _turnTimeout;
    private int _turns;

    public ScheduledBackupService(
        AgentOptions options,
        RoleProvider role,
        StorageBackupRunner runner,
        AgentMetrics metrics,
        TimeProvider time,
        ILogger<ScheduledBackupService> logger
    )
    {
        _options = options;
        _schedule =
            options.BackupSchedule
            ?? throw new ArgumentException("no --backup-schedule", nameof(options));
        _role = role;
        _runner = runner;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _turnTimeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(TurnTimeout)
            .Build();
    }

    /// <summary>Turns of the loop done so far, primary or not (tests wait on it).</summary>
    internal int Turns => Volatile.Read(ref _turns);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storage = StorageTarget.Open(_options);
        using var http = new HttpClient(
            new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }
        )
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        try
        {
            var peers = new PeerCandidates(_options, http, _time, TimeSpan.FromSeconds(2));
            var statuses = new PeerStatusClient(
                http,
                _options.ConnectTo,
                new ResiliencePipelineBuilder { TimeProvider = _time }
                    .AddTimeout(TimeSpan.FromSeconds(3))
                    .Build()
            );
            var client = new ScheduledBackupClient(_options, _time);
            var state = ScheduleState.Start(_time.GetUtcNow());
            ScheduledBackupLog.Started(
                _logger,
                _schedule.ToString(),
                storage.Location,
                Describe(_schedule.Next(_time.GetUtcNow()))
            );
            using var timer = new PeriodicTimer(Poll, _time);
            do
            {
                if (!_role.IsPrimary)
                {
                    Interlocked.Increment(ref _turns);
                    continue;
                }

                try
                {
                    state = await _turnTimeout
                        .ExecuteAsync(
                            async token =>
                                await TurnAsync(state, storage, peers, statuses, client, token)
                                    .ConfigureAwait(false),
                            stoppingToken
                        )
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    var due = ScheduleTurn.Due(_schedule, state, _time.GetUtcNow());
                    var tick = due.Count > 0 ? BackupSchedule.TickId(due[^1]) : "none";
                    if (state.Failing != tick)
                    {
                        ScheduledBackupLog.CheckFailed(_logger, tick, e.Message, Poll.TotalSeconds);
                    }

                    state = state with { Failing = tick };
                }

                Interlocked.Increment(ref _turns);
            } while (await TimerTicks.NextAsync(timer, stoppingToken).ConfigureAwait(false));
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    private async Task<ScheduleState> TurnAsync(
        ScheduleState state,
        IBackupStorage storage,
        PeerCandidates peers,
        PeerStatusClient statuses,
        ScheduledBackupClient client,
        CancellationToken cancellationToken
    )
    {
        var now = _time.GetUtcNow();
        var due = ScheduleTurn.Due(_schedule, state, now);
        if (due.Count == 0)
        {
            return state;
        }

        var manifests = await BackupCatalog
            .ListSinceAsync(storage, due[0] - ClockSkew, _logger, cancellationToken)
            .ConfigureAwait(false);
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            if (manifest.Tick is { } tick)
            {
                taken.TryAdd(tick, manifest.Id);
            }
        }

        var plan = ScheduleTurn.Decide(_schedule, due, now, taken, state.Since);
        foreach (var (tick, why) in plan.Missed)
        {
            _metrics.ScheduledBackupsMissed.Inc();
            ScheduledBackupLog.Missed(_logger, BackupSchedule.TickId(tick), why);
        }

        foreach (var (tick, why) in plan.Skipped)
        {
            ScheduledBackupLog.Skipped(_logger, BackupSchedule.TickId(tick), why);
        }

        if (plan.Take is { } take)
        {
            await TriggerAsync(
                    BackupSchedule.TickId(take),
                    peers,
                    statuses,
                    client,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }

        return state.DecidedOn(due[^1]);
    }

    private async Task TriggerAsync(
        string tick,
        PeerCandidates peers,
        PeerStatusClient statuses,
        ScheduledBackupClient client,
        CancellationToken cancellationToken
    )
    {
        var ordinals = await peers.OrdinalsAsync(cancellationToken).ConfigureAwait(false);
        var answers = await Task.WhenAll(
                ordinals.Select(o =>
                    statuses.GetAsync(_options.PeerHttpEndpoint(o), cancellationToken)
                )
            )
            .ConfigureAwait(false);
        var reports = ordinals.Select((o, i) => new PeerReport(o, answers[i])).ToList();
        switch (
            BackupSourceChoice.Busy(
                tick,
                _options.Pod.PodName,
                _runner.Status.Running,
                reports.Select(r => (_options.Pod.PeerPodName(r.Ordinal), r.Status))
            )
        )
        {
            case (BusyVerdict.Running, var why):
                ScheduledBackupLog.Skipped(_logger, tick, why);
                return;
            case (BusyVerdict.Older, var why):
                _metrics.ScheduledBackupsMissed.Inc();
                ScheduledBackupLog.Missed(_logger, tick, why);
                return;
        }

        var problems = new List<string>();
        foreach (var source in BackupSourceChoice.Order(_options.Pod.Ordinal, reports))
        {
            if (!_role.IsPrimary)
            {
                ScheduledBackupLog.Skipped(_logger, tick, "this pod is no longer the primary");
                return;
            }

            var pod = _options.Pod.PeerPodName(source.Ordinal);
            string? problem;
            if (source.IsSelf)
            {
                var start = _runner.TryStart(tick, "the schedule (this pod is the primary)");
                problem = start.Result switch
                {
                    BackupStartResult.Started or BackupStartResult.Taken => null,
                    BackupStartResult.Running when start.Run?.Tick == tick => null,
                    BackupStartResult.Running =>
                        $"backup {start.Run?.Id} of tick {start.Run?.Tick ?? "none"} still runs here",
                    BackupStartResult.Busy => "every --max-concurrent-backups slot serves a clone",
                    _ => "no --target",
                };
            }
            else
            {
                var answer = await client
                    .TriggerAsync(source.Ordinal, tick, cancellationToken)
                    .ConfigureAwait(false);
                problem =
                    answer.Problem is null || answer.Run?.Tick == tick ? null : answer.Problem;
            }

            if (problem is null)
            {
                ScheduledBackupLog.Triggered(_logger, tick, pod, source.Why);
                return;
            }

            ScheduledBackupLog.CandidateFailed(_logger, tick, pod, problem);
            problems.Add($"{pod}: {problem}");
        }

        ScheduledBackupLog.TriggerFailed(_logger, tick, string.Join("; ", problems));
    }

    private static string Describe(DateTimeOffset? tick) =>
        tick is { } t ? BackupSchedule.TickId(t) : "none (the expression never fires again)";
}
