using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Election;

/// <summary>
/// The agent's side of automatic failover, in <c>serve</c> when <c>--lease-store</c> is not
/// <c>none</c>. Every retry period it observes (its own mysqld, the peers' <c>/status</c>, one step
/// of the <see cref="LeaderElector"/>), decides (<see cref="ElectionDecision"/>, pure) and acts
/// (<see cref="ElectionActor"/>), and <see cref="ElectionReporter"/> shows the result. Its one piece
/// of state is the <see cref="ElectionMemory"/> that the turns pass on.
/// </summary>
/// <remarks>
/// The role that readiness, <c>/status</c>, the heartbeat and the metrics report follows from here
/// through <see cref="RoleProvider"/>: primary only once promoted, and only while the Lease is fresh.
/// </remarks>
public sealed class ElectionService : BackgroundService
{
    private readonly AgentOptions _options;
    private readonly ElectionPolicy _policy;
    private readonly ReplicationSetupStatus _setup;
    private readonly TimeProvider _time;
    private readonly ILogger<ElectionService> _logger;
    private readonly LeaderElector _elector;
    private readonly DeadlineStep _step;
    private readonly HttpClient _http;
    private readonly PeerCandidates _peers;
    private readonly LocalServerReader _reader;
    private readonly ElectionReporter _reporter;
    private readonly ElectionActor _actor;

    private ElectionMemory _memory = ElectionMemory.Initial;

    public ElectionService(
        AgentOptions options,
        LocalServer server,
        RoleProvider role,
        AgentMetrics metrics,
        ReplicationSetupStatus setup,
        ILeaseStore store,
        TimeProvider time,
        ILogger<ElectionService> logger,
        PodRoleLabel? label = null,
        IPodDeleter? deleter = null
    )
    {
        _options = options;
        _setup = setup;
        _time = time;
        _logger = logger;
        var timings = options.ElectionTimings;
        _policy = ElectionPolicy.From(
            options,
            recloneErrant: deleter is not null,
            labelPods: label is not null
        );
        _elector = new LeaderElector(options.Pod.PodName, timings, store, time)
        {
            MaxLagOnFailover = options.MaxLagOnFailover,
        };
        _step = new DeadlineStep(_elector, time);
        _http = new HttpClient(
            new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }
        )
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var peerTimeout =
            timings.RetryPeriod < TimeSpan.FromSeconds(2)
                ? timings.RetryPeriod
                : TimeSpan.FromSeconds(2);
        _peers = new PeerCandidates(options, _http, time, peerTimeout);
        _reader = new LocalServerReader(server, peerTimeout, time);
        _reporter = new ElectionReporter(_elector, _policy, role, metrics, logger);
        var fence = new SelfFence(server, options, metrics, time, logger);
        _actor = new ElectionActor(
            options,
            _policy,
            server,
            _elector,
            role,
            _reporter,
            fence,
            new Promotion(server, options, time, logger),
            new Rejoin(server, options, logger),
            new LastPrimaryFence(options, metrics, time, logger),
            new PlannedSwitchover(
                _elector,
                fence,
                _reader,
                _peers,
                _reporter,
                _policy,
                metrics,
                time,
                logger
            ),
            label,
            deleter,
            time,
            logger
        );
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timings = _options.ElectionTimings;
        ElectionLog.Started(
            _logger,
            _options.Pod.PodName,
            _options.LeaseStore.ToString(),
            timings.LeaseDuration.TotalSeconds,
            timings.RenewDeadline.TotalSeconds,
            timings.RetryPeriod.TotalSeconds,
            timings.FenceBudget.TotalSeconds,
            _options.PrimaryStartTimeout.TotalSeconds
        );
        using var timer = new PeriodicTimer(timings.RetryPeriod, _time);
        do
        {
            try
            {
                await TurnAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                ElectionLog.StepCrashed(_logger, e);
            }
        } while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));

        await _actor.DrainAsync(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>One turn: observe, decide, act, show.</summary>
    private async Task TurnAsync(CancellationToken cancellationToken)
    {
        // A holder woken past its renew deadline (a frozen pod thawed, a starved process) fences
        // before anything else: reading mysqld and the peers first would leave it writable longer.
        await LoseLeaseIfOverdueAsync(cancellationToken).ConfigureAwait(false);

        _memory = _memory with
        {
            Local = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false),
        };
        var self = _reporter.PublishCandidate(_elector.Lease, _memory);

        // The peers are read while the Lease is: the elector waits for them only to decide a race.
        var ordinals = await _peers.OrdinalsAsync(cancellationToken).ConfigureAwait(false);
        var reading = _peers.ReadAsync(ordinals, cancellationToken);
        var mayCreate =
            _options.Pod.Ordinal == 0 && !ReplicationSetupMarker.Done(_options.DataDir).Exists;
        var step = await _step
            .StepAsync(self, reading, mayCreate, cancellationToken)
            .ConfigureAwait(false);
        _reporter.Stepped(step);
        if (step.FenceNow)
        {
            await RunAsync(ElectionDecision.LoseLease(step, _memory), cancellationToken)
                .ConfigureAwait(false);
        }

        var peers = await reading.ConfigureAwait(false);
        _reporter.Peers(ordinals, peers);
        _reporter.CountWritable(self, peers);
        _reporter.CountRenewal(step);

        var observation = new Observation(
            step,
            _elector.Role,
            _elector.Lease,
            _memory.Local,
            self,
            peers,
            ordinals,
            SetupBusy,
            _time.GetTimestamp(),
            _time.TimestampFrequency
        );
        await RunAsync(ElectionDecision.Decide(observation, _memory, _policy), cancellationToken)
            .ConfigureAwait(false);

        _reporter.PublishCandidate(_elector.Lease, _memory);
        await _actor.LabelAsync(_memory.Errant.IsErrant, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Carries a plan out: its memory first, then each action in order, each outcome (and what it calls for) remembered and shown at once.</summary>
    private async Task RunAsync(ElectionPlan plan, CancellationToken cancellationToken)
    {
        _reporter.Planned(plan);
        Remember(plan.Memory);
        var pending = new Queue<ElectionAction>(plan.Actions);
        while (pending.TryDequeue(out var action))
        {
            var outcome = await _actor
                .RunAsync(action, _memory, cancellationToken)
                .ConfigureAwait(false);
            foreach (var next in ElectionDecision.FollowUp(outcome, _memory, _policy))
            {
                pending.Enqueue(next);
            }

            Remember(_memory.After(outcome));
        }
    }

    private void Remember(ElectionMemory next)
    {
        _reporter.Remembered(_memory, next);
        _memory = next;
    }

    private async Task LoseLeaseIfOverdueAsync(CancellationToken cancellationToken)
    {
        if (_elector.CheckRenewDeadline() is { } overdue)
        {
            _reporter.Stepped(overdue);
            await RunAsync(ElectionDecision.LoseLease(overdue, _memory), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private bool SetupBusy =>
        _setup.Current.State is ReplicationSetupState.Pending or ReplicationSetupState.Running;

    /// <summary>
    /// Waits for the next turn, or less (<see cref="ElectionDecision.WakeAfter"/>); a holder woken
    /// at its renew deadline fences if it has not renewed by then.
    /// </summary>
    private async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        var lease = _elector.Lease;
        var wake = ElectionDecision.WakeAfter(
            _elector.Role,
            lease,
            _elector.UntilRenewDeadline,
            _elector.UntilExpiry,
            ElectionDecision.MustRejoin(lease, _memory, SetupBusy, _policy),
            _options.ElectionTimings
        );
        try
        {
            if (wake is not { } early)
            {
                return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
            }

            using var wakeUp = new CancellationTokenSource(
                early > TimeSpan.Zero ? early : TimeSpan.Zero,
                _time
            );
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(
                stoppingToken,
                wakeUp.Token
            );
            try
            {
                return await timer.WaitForNextTickAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                await LoseLeaseIfOverdueAsync(stoppingToken).ConfigureAwait(false);
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
