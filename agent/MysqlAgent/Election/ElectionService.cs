using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Identity;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Replication;
using MysqlAgent.Replication.Setup;
using Polly;
using Polly.Timeout;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>
/// The agent's side of automatic failover, in <c>serve</c> when <c>--lease-store</c> is not
/// <c>none</c>: every retry period it reads its own mysqld and the peers' <c>/status</c>, steps the
/// <see cref="LeaderElector"/>, and acts on the answer.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Holder (created, won, handed or resumed the Lease): hand it to a more advanced peer if one
/// answered, else promote (<see cref="Promotion"/>), idempotently, until done; promote again when
/// mysqld comes back read-only after a restart; release the Lease when mysqld stays down longer than
/// the primary start timeout.</item>
/// <item>Lost the Lease (<see cref="ElectionEvent.FenceNow"/>, or the renew deadline timer between
/// two steps): fence at once (<see cref="SelfFence"/>).</item>
/// <item>Follower: never writable (a writable follower is fenced); replicate from the holder's stable
/// name, after the errant check against the fork point (<see cref="Rejoin"/>).</item>
/// </list>
/// The role that readiness, <c>/status</c>, the heartbeat and the metrics report follows from here
/// through <see cref="RoleProvider"/>: primary only once promoted, and only while the Lease is fresh.
/// </remarks>
public sealed partial class ElectionService : BackgroundService
{
    private readonly AgentOptions _options;
    private readonly LocalServer _server;
    private readonly RoleProvider _role;
    private readonly AgentMetrics _metrics;
    private readonly ReplicationSetupStatus _setup;
    private readonly TimeProvider _time;
    private readonly ILogger<ElectionService> _logger;
    private readonly LeaderElector _elector;
    private readonly HttpClient _http;
    private readonly PeerCandidates _peers;
    private readonly SelfFence _fence;
    private readonly Promotion _promotion;
    private readonly Rejoin _rejoin;
    private readonly LastPrimaryFence _fenceLast;
    private readonly PodRoleLabel? _label;
    private readonly IPodDeleter? _deleter;
    private readonly ResiliencePipeline _localTimeout;
    private readonly ResiliencePipeline _stepTimeout;
    private TimeSpan _stepBudget;

    /// <summary>
    /// A follower's step interval while the primary changes (at most the retry period): a switchover
    /// is pending, it must rejoin a new primary, or the Lease has expired and another pod is taking it.
    /// </summary>
    public static readonly TimeSpan FastStep = TimeSpan.FromMilliseconds(200);

    /// <summary>How long after the Lease's expiry by its clock a follower steps, so that the step sees it expired.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMilliseconds(10);

    private LocalServerState _local = LocalServerState.Down("not read yet");
    private bool _promoted;
    private long _heldTerm;
    private long _followedTerm;
    private long _acquiredTerm;
    private long _promotedTerm;
    private long _failoverCountedTerm;
    private long _demotedTerm;
    private bool _handedToMe;
    private SwitchoverRequest? _switchoverSeen;
    private SemiSyncSourceState? _semiSync;
    private bool _errant;
    private long? _downSince;
    private string? _lastLogged;
    private string? _lastPeers;
    private string? _lastWaited;
    private long _stoppedFetchingTerm;
    private string? _lastWritable;
    private string? _lastErrant;
    private string? _lastLabelError;
    private string? _lastStep;
    private bool _recloneRequested;
    private long _lastPrimaryFencedTerm;
    private Task _lastPrimaryFence = Task.CompletedTask;
    private IReadOnlyList<int> _peerOrdinals = [];

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
        _label = label;
        _deleter = deleter;
        _options = options;
        _server = server;
        _role = role;
        _metrics = metrics;
        _setup = setup;
        _time = time;
        _logger = logger;
        var timings = options.ElectionTimings;
        _elector = new LeaderElector(options.Pod.PodName, timings, store, time)
        {
            MaxLagOnFailover = options.MaxLagOnFailover,
        };
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
        _fence = new SelfFence(server, options, metrics, time, logger);
        _promotion = new Promotion(server, options, time, logger);
        _rejoin = new Rejoin(server, options, logger);
        _fenceLast = new LastPrimaryFence(options, metrics, time, logger);
        _localTimeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(peerTimeout)
            .Build();
        _stepTimeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(
                new TimeoutStrategyOptions
                {
                    TimeoutGenerator = _ => ValueTask.FromResult(_stepBudget),
                }
            )
            .Build();
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

        // It logs its own failures; the stop cancels it.
        try
        {
            await _lastPrimaryFence.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>
    /// Waits for the next step; a holder whose renew deadline falls before it is woken at the
    /// deadline and fences if it has not renewed by then, and a follower is woken when the Lease
    /// expires by its clock, so that it races at once rather than up to a retry period later. While
    /// the primary changes, a follower steps every <see cref="FastStep"/> instead: during a
    /// switchover the primary judges the target's catch-up by its published report and the target
    /// must see the Lease handed to it; after a failover the pods that did not race must see the new
    /// term and rejoin, because the new primary waits for a replica to connect before it takes
    /// writes. None of this should wait for a whole retry period while writes are paused. A Lease
    /// that stays expired longer than another lease duration (nobody eligible) or is paused goes
    /// back to the retry period.
    /// </summary>
    private async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        var timings = _options.ElectionTimings;
        TimeSpan? wake = null;
        void Earlier(TimeSpan? at)
        {
            if (at is { } t && t < timings.RetryPeriod && (wake is null || t < wake))
            {
                wake = t;
            }
        }

        Earlier(_elector.UntilRenewDeadline);
        var lease = _elector.Lease;
        if (_elector.Role != ElectorRole.Leader)
        {
            if (lease?.Switchover is not null || MustRejoin(lease))
            {
                Earlier(FastStep);
            }

            if (_elector.UntilExpiry is { } expiry && lease is { Paused: false })
            {
                Earlier(
                    expiry > TimeSpan.Zero ? expiry + ExpiryMargin
                    : expiry > -timings.LeaseDuration ? FastStep
                    : null
                );
            }
        }

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
                if (_elector.CheckRenewDeadline() is { } fence)
                {
                    Publish(fence);
                    await LoseLeaseAsync(fence, stoppingToken).ConfigureAwait(false);
                }

                return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task TurnAsync(CancellationToken cancellationToken)
    {
        // A holder woken past its renew deadline (a frozen pod thawed, a starved process) fences
        // before anything else: reading mysqld and the peers first would leave it writable longer.
        if (_elector.CheckRenewDeadline() is { } overdue)
        {
            Publish(overdue);
            await LoseLeaseAsync(overdue, cancellationToken).ConfigureAwait(false);
        }

        _local = await ReadLocalAsync(cancellationToken).ConfigureAwait(false);
        var lease = _elector.Lease;
        var self = PublishCandidate(lease);

        // The peers are read while the Lease is: the elector waits for them only to decide a race.
        var ordinals = await _peers.OrdinalsAsync(cancellationToken).ConfigureAwait(false);
        _peerOrdinals = ordinals;
        var reading = _peers.ReadAsync(ordinals, cancellationToken);
        var step = await StepAsync(self, reading, cancellationToken).ConfigureAwait(false);
        Publish(step);
        if (step.Event == ElectionEvent.FenceNow)
        {
            await LoseLeaseAsync(step, cancellationToken).ConfigureAwait(false);
        }

        var peers = await reading.ConfigureAwait(false);
        LogPeers(ordinals, peers);
        CountWritable(self, peers);

        if (
            step.Role == ElectorRole.Leader
            && step.Event is ElectionEvent.RenewFailed or ElectionEvent.StoreUnavailable
        )
        {
            _metrics.LeaseRenewFailures.Inc();
        }

        if (_elector.Role == ElectorRole.Leader)
        {
            await LeadAsync(step, self, peers, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await FollowAsync(step.Lease, cancellationToken).ConfigureAwait(false);
        }

        PublishCandidate(_elector.Lease);
        await LabelAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Layer 3 of fencing (Kubernetes store only): before it promotes in a new term, the holder takes
    /// the primary label off the pods that held the Lease before it, once per term. A failure is
    /// logged and tried again at the next step; it does not hold the promotion back (the old
    /// primary cannot commit anyway: it fenced itself or has no replica to acknowledge).
    /// </summary>
    private async Task DemoteOldHoldersAsync(LeaseRecord lease, CancellationToken cancellationToken)
    {
        if (_label is null || _demotedTerm == lease.Term)
        {
            return;
        }

        var done = true;
        var oldHolders = lease
            .History.Where(h => h.Term < lease.Term && h.Holder != _options.Pod.PodName)
            .Select(h => h.Holder)
            .Distinct(StringComparer.Ordinal);
        foreach (var pod in oldHolders)
        {
            var (demoted, error) = await _label
                .DemoteAsync(pod, cancellationToken)
                .ConfigureAwait(false);
            if (error is not null)
            {
                ElectionLog.ActionFailed(_logger, $"taking the primary label off {pod}", error);
                done = false;
            }
            else if (demoted)
            {
                ElectionLog.DemotedOldHolder(_logger, pod, lease.Term);
            }
        }

        if (done)
        {
            _demotedTerm = lease.Term;
        }
    }

    /// <summary>
    /// Once per term, before the first promotion attempt: the last primary (the holder of the
    /// latest earlier term in the history) is fenced from here if its mysqld still answers
    /// writable, and the other peers' mysqld that still fetch from it stop fetching
    /// (<see cref="LastPrimaryFence"/>). In the background: a frozen server would hold the
    /// promotion back for a connect timeout.
    /// </summary>
    private void FenceLastPrimary(LeaseRecord lease, CancellationToken cancellationToken)
    {
        if (_lastPrimaryFencedTerm == lease.Term)
        {
            return;
        }

        _lastPrimaryFencedTerm = lease.Term;
        var last = lease
            .History.Where(h => h.Term < lease.Term)
            .OrderByDescending(h => h.Term)
            .FirstOrDefault();
        if (
            last is null
            || last.Holder == _options.Pod.PodName
            || !PodIdentity.TryParse(last.Holder, out var pod, out _)
        )
        {
            return;
        }

        var others = _peerOrdinals
            .Where(o => o != pod.Ordinal)
            .Select(o => (_options.Pod.PeerPodName(o), PrimaryEndpoint(o)))
            .ToList();
        _lastPrimaryFence = _fenceLast.RunAsync(
            (last.Holder, PrimaryEndpoint(pod.Ordinal)),
            others,
            lease.Term,
            cancellationToken
        );
    }

    /// <summary>The pod label <c>mysql-agent.io/role</c> (Kubernetes store only) follows the role.</summary>
    private async Task LabelAsync(CancellationToken cancellationToken)
    {
        if (_label is null)
        {
            return;
        }

        var role =
            _errant ? "errant"
            : _role.IsPrimary ? HealthRoles.Primary
            : HealthRoles.Replica;
        var error = await _label.SetAsync(role, cancellationToken).ConfigureAwait(false);
        if (error != _lastLabelError && error is not null)
        {
            ElectionLog.ActionFailed(_logger, $"labelling the pod {role}", error);
        }

        _lastLabelError = error;
    }

    /// <summary>One step of the elector, cut short at the renew deadline for a holder.</summary>
    private async Task<ElectionStep> StepAsync(
        CandidateStatus self,
        Task<IReadOnlyList<CandidateStatus>> peers,
        CancellationToken cancellationToken
    )
    {
        var mayCreate =
            _options.Pod.Ordinal == 0 && !ReplicationSetupMarker.Done(_options.DataDir).Exists;
        if (_elector.UntilRenewDeadline is not { } left)
        {
            return await _elector
                .StepAsync(self, peers, mayCreate, cancellationToken)
                .ConfigureAwait(false);
        }

        if (left <= TimeSpan.Zero)
        {
            return _elector.CheckRenewDeadline()
                ?? new ElectionStep(
                    ElectorRole.Leader,
                    ElectionEvent.RenewFailed,
                    _elector.Lease,
                    false,
                    "deadline"
                );
        }

        _stepBudget = left;
        try
        {
            return await _stepTimeout
                .ExecuteAsync(
                    async ct =>
                        await _elector.StepAsync(self, peers, mayCreate, ct).ConfigureAwait(false),
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            return _elector.CheckRenewDeadline()
                ?? new ElectionStep(
                    ElectorRole.Leader,
                    ElectionEvent.RenewFailed,
                    _elector.Lease,
                    false,
                    "the store did not answer before the renew deadline"
                );
        }
    }

    private async Task LeadAsync(
        ElectionStep step,
        CandidateStatus self,
        IReadOnlyList<CandidateStatus> peers,
        CancellationToken cancellationToken
    )
    {
        var lease = _elector.Lease!;
        _heldTerm = lease.Term;
        if (step.Event == ElectionEvent.Acquired)
        {
            _acquiredTerm = lease.Term;
            // A switchover's target is handed the Lease by a primary that had promoted (its term
            // has a fork point): no failover. A race winner that handed over had not.
            _handedToMe =
                step.Detail?.StartsWith("handed over to me", StringComparison.Ordinal) == true
                && lease.History.Any(h => h.Term == lease.Term - 1);
        }

        // Only a race winner that has not promoted in this term hands over: a created or resumed
        // Lease has no more advanced replica, and after its promotion the peers follow it.
        if (
            !_promoted
            && _acquiredTerm == lease.Term
            && _promotedTerm != lease.Term
            && CandidateRules.BetterPeer(self, peers, lease, _options.MaxLagOnFailover)
                is { } better
        )
        {
            ElectionLog.HandingOver(
                _logger,
                better.Name,
                better.Progress?.ToString() ?? "",
                self.Progress?.ToString() ?? ""
            );
            Publish(
                await _elector.HandOverAsync(better.Name, cancellationToken).ConfigureAwait(false)
            );
            return;
        }

        if (!_local.Up)
        {
            // Not the primary while its server is down; a restarted (read-only) one is promoted again.
            SetPromoted(false);
            _downSince ??= _time.GetTimestamp();
            var down = _time.GetElapsedTime(_downSince.Value);
            if (down >= _options.PrimaryStartTimeout)
            {
                ElectionLog.Releasing(
                    _logger,
                    Math.Round(down.TotalSeconds, 1),
                    _options.PrimaryStartTimeout.TotalSeconds,
                    lease.Term
                );
                SetPromoted(false);
                Publish(await _elector.ReleaseAsync(cancellationToken).ConfigureAwait(false));
            }

            return;
        }

        _downSince = null;
        if (_promoted && lease.Switchover is { } request)
        {
            // Acted on at the second step that sees it: in between, every follower has stepped
            // once, seen the request and begun to step fast, so that the write pause is not spent
            // waiting for a target's next ordinary step.
            if (_switchoverSeen != request)
            {
                _switchoverSeen = request;
                return;
            }

            await SwitchOverAsync(lease, request, peers, cancellationToken).ConfigureAwait(false);
            return;
        }

        _switchoverSeen = null;

        if (_promoted && _local.Writable)
        {
            await SemiSyncAsync(lease.Term, cancellationToken).ConfigureAwait(false);
            return;
        }

        await DemoteOldHoldersAsync(lease, cancellationToken).ConfigureAwait(false);
        FenceLastPrimary(lease, cancellationToken);
        var timings = _options.ElectionTimings;
        var applyTimeout = timings.RenewDeadline - timings.RetryPeriod * 2;
        if (applyTimeout < TimeSpan.FromSeconds(1))
        {
            applyTimeout = TimeSpan.FromSeconds(1);
        }

        string? forkPoint;
        string pending;
        try
        {
            (forkPoint, pending) = await _promotion
                .RunAsync(
                    lease.Term,
                    lease.History.Any(h => h.Term == lease.Term),
                    applyTimeout,
                    RecordForkPointAsync,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (ServerTrouble.Is(e, cancellationToken) || e is ReplicationSetupException)
        {
            (forkPoint, pending) = (null, OneLine(e));
        }

        Publish(null);
        if (forkPoint is null)
        {
            ElectionLog.PromotionPending(_logger, lease.Term, pending);
            return;
        }

        SetPromoted(true);
        _promotedTerm = lease.Term;
        _followedTerm = lease.Term;
        if (_acquiredTerm == lease.Term && !_handedToMe && _failoverCountedTerm != lease.Term)
        {
            _failoverCountedTerm = lease.Term;
            _metrics.Failovers.Inc();
        }
    }

    /// <summary>
    /// A follower whose server is up, not errant and not being set up still follows an older term
    /// than the Lease's: it rejoins the new primary as soon as it sees its fork point, which the new
    /// primary waits for (up to a retry period) before it takes writes with semi-sync.
    /// </summary>
    private bool MustRejoin(LeaseRecord? lease) =>
        lease is { IsHeld: true }
        && lease.Holder != _options.Pod.PodName
        && _local.Up
        && !_errant
        && _setup.Current.State
            is not (ReplicationSetupState.Pending or ReplicationSetupState.Running)
        && FollowedTerm(lease) < lease.Term;

    /// <summary>The promoted primary turns semi-sync on once a replica would acknowledge (<see cref="SemiSyncSource"/>).</summary>
    private async Task SemiSyncAsync(long term, CancellationToken cancellationToken)
    {
        if (
            !_options.SemiSync
            || _semiSync is SemiSyncSourceState.On or SemiSyncSourceState.Unavailable
        )
        {
            return;
        }

        try
        {
            var connection = await _server.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                (_semiSync, var turnedOn) = await SemiSyncSource
                    .EnsureAsync(connection, _local.Server!, cancellationToken)
                    .ConfigureAwait(false);
                if (turnedOn)
                {
                    ElectionLog.SemiSyncOn(_logger, term);
                }
                else if (_semiSync == SemiSyncSourceState.Unavailable)
                {
                    ElectionLog.SemiSyncUnavailable(_logger);
                }

                _metrics.SemiSyncSource.Set(_semiSync == SemiSyncSourceState.On ? 1 : 0);
            }
        }
        catch (Exception e) when (ServerTrouble.Is(e, cancellationToken))
        {
            ElectionLog.ActionFailed(
                _logger,
                "turning semi-synchronous replication on",
                OneLine(e)
            );
        }
    }

    private async Task<bool> RecordForkPointAsync(
        string forkPoint,
        CancellationToken cancellationToken
    )
    {
        var written = await _elector
            .RecordForkPointAsync(forkPoint, cancellationToken)
            .ConfigureAwait(false);
        if (written.Outcome != LeaseOutcome.Ok)
        {
            ElectionLog.ActionFailed(_logger, "recording the fork point", written.ToString());
        }

        return written.Outcome == LeaseOutcome.Ok;
    }

    /// <summary>This pod just lost the Lease: it stops calling itself primary, then fences.</summary>
    private async Task LoseLeaseAsync(ElectionStep step, CancellationToken cancellationToken)
    {
        // A holder that never promoted, or that fenced already (a restarted agent whose Lease
        // could not be renewed steps down at every step), has nothing writable to fence.
        var wasPromoted = _promoted;
        SetPromoted(false);
        _downSince = null;
        if (
            _local.Up
            && (wasPromoted || _local.Writable)
            && await _fence
                .FenceAsync(step.Detail ?? "lost the Lease", planned: false, cancellationToken)
                .ConfigureAwait(false)
        )
        {
            _local = _local with { Writable = false };
        }
    }

    private async Task FollowAsync(LeaseRecord? lease, CancellationToken cancellationToken)
    {
        SetPromoted(false);
        if (!_local.Up)
        {
            return;
        }

        if (_local.Writable)
        {
            ElectionLog.WritableWithoutLease(_logger, lease?.Holder ?? "", lease?.Term ?? 0);
            if (
                await _fence
                    .FenceAsync("writable without the Lease", planned: false, cancellationToken)
                    .ConfigureAwait(false)
            )
            {
                _local = _local with { Writable = false };
            }
        }

        if (
            lease is not { IsHeld: true }
            || lease.Holder == _options.Pod.PodName
            || !PodIdentity.TryParse(lease.Holder, out var holder, out _)
        )
        {
            return;
        }

        // A fresh clone's first setup is the setup service's (from the clone's info files).
        if (_setup.Current.State is ReplicationSetupState.Pending or ReplicationSetupState.Running)
        {
            return;
        }

        var source = PrimaryEndpoint(holder.Ordinal);
        if (_local.Source is { } current && current.SameAs(_options.ConnectTo.Resolve(source)))
        {
            _followedTerm = Math.Max(_followedTerm, lease.Term);
            ClearErrant();
            return;
        }

        var followed = FollowedTerm(lease);
        var fork =
            followed >= lease.Term
                ? lease.History.FirstOrDefault(h => h.Term == lease.Term)
                : lease.FirstTermAfter(followed);
        if (fork is null)
        {
            await StopFetchingAsync(lease, cancellationToken).ConfigureAwait(false);
            var key = lease.Holder + "|" + lease.Term.ToString(CultureInfo.InvariantCulture);
            if (_lastWaited != key)
            {
                ElectionLog.WaitingForForkPoint(_logger, lease.Holder, lease.Term);
                _lastWaited = key;
            }

            return;
        }

        IReadOnlyList<string> errant;
        try
        {
            errant = await _rejoin
                .RunAsync(lease.Holder, lease.Term, fork.ForkPosition, source, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (ServerTrouble.Is(e, cancellationToken)
                || e is ReplicationSetupException or FormatException
            )
        {
            ElectionLog.ActionFailed(_logger, $"following {lease.Holder}", OneLine(e));
            return;
        }

        if (errant.Count == 0)
        {
            _followedTerm = lease.Term;
            ClearErrant();
            return;
        }

        _errant = true;
        var text = string.Join(",", errant);
        _metrics.ErrantGtids.Set(errant.Count);
        _role.SetNotReadyReason(
            $"errant transactions {text} beyond the fork point of term {fork.Term} ({fork.ForkPosition}); re-clone this pod"
        );
        if (_lastErrant != text)
        {
            ElectionLog.Errant(_logger, text, fork.ForkPosition, fork.Term);
            _lastErrant = text;
        }

        await RequestRecloneAsync(holder.Ordinal, fork.Term, text, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// With <c>--reclone-errant</c>: writes the re-clone request into the datadir (the primary as
    /// donor), then deletes this pod, so that the next pod's clone container moves the datadir aside
    /// and clones. Once per process; a failure is logged and tried again at the next step.
    /// </summary>
    private async Task RequestRecloneAsync(
        int holderOrdinal,
        long term,
        string errant,
        CancellationToken cancellationToken
    )
    {
        if (_deleter is null || _recloneRequested)
        {
            return;
        }

        // The stable name only: the clone container adds its own --backup-port, the set's (in the
        // local set this agent listens on a port of its own, mapped from that one).
        var donor = _options.Pod.PeerHost(holderOrdinal, _options.Service);
        var request = new Clone.RecloneRequest(donor, term, errant, _time.GetUtcNow());
        try
        {
            request.WriteTo(_options.DataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ElectionLog.ActionFailed(_logger, "writing the re-clone request", e.Message);
            return;
        }

        var error = await _deleter.DeleteOwnPodAsync(cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            ElectionLog.ActionFailed(_logger, "deleting this pod for its re-clone", error);
            return;
        }

        _recloneRequested = true;
        ElectionLog.RecloneRequested(
            _logger,
            errant,
            donor,
            Clone.RecloneRequest.PathIn(_options.DataDir)
        );
    }

    /// <summary>
    /// Layer 2 of fencing, from a follower's side, once per term: a follower that sees a new holder
    /// stops fetching from the old primary at once, before the new one has recorded its fork point,
    /// so the old primary gets no acknowledgement from it (and, with every replica so, commits
    /// nothing). The stop also runs beside the new primary's promotion rather than after it: when
    /// the IO thread is caught connecting to a frozen primary, MariaDB's STOP SLAVE takes about 2 s
    /// (it signals the thread again every 2 s), and the new primary waits for a replica.
    /// </summary>
    private async Task StopFetchingAsync(LeaseRecord lease, CancellationToken cancellationToken)
    {
        if (_stoppedFetchingTerm == lease.Term || _local.Source is not { } old)
        {
            return;
        }

        _stoppedFetchingTerm = lease.Term;
        var started = _time.GetTimestamp();
        try
        {
            await _server
                .RunAsync(FailoverStatementRenderer.RenderAckFence, cancellationToken)
                .ConfigureAwait(false);
            ElectionLog.StoppedFetching(
                _logger,
                lease.Term,
                old.ToString(),
                (long)_time.GetElapsedTime(started).TotalMilliseconds,
                lease.Holder
            );
        }
        catch (Exception e) when (ServerTrouble.Is(e, cancellationToken))
        {
            ElectionLog.ActionFailed(
                _logger,
                "stopping the fetch from the old primary",
                OneLine(e)
            );
        }
    }

    private void ClearErrant()
    {
        if (_errant)
        {
            _errant = false;
            _lastErrant = null;
            _metrics.ErrantGtids.Set(0);
            _role.SetNotReadyReason(null);
        }
    }

    /// <summary>
    /// The term of the primary this server last followed or held: remembered, else inferred from
    /// its replication source (the latest term the Lease's history gives to the pod at that address).
    /// </summary>
    private long FollowedTerm(LeaseRecord? lease)
    {
        var known = Math.Max(_followedTerm, _heldTerm);
        if (known > 0 || lease is null || _local.Source is not { } source)
        {
            return known;
        }

        var terms = lease
            .History.Select(h => (h.Term, h.Holder))
            .Append((lease.Term, lease.Holder))
            .Where(t =>
                PodIdentity.TryParse(t.Holder, out var pod, out _)
                && source.SameAs(_options.ConnectTo.Resolve(PrimaryEndpoint(pod.Ordinal)))
            )
            .Select(t => t.Term)
            .ToList();
        return terms.Count > 0 ? terms.Max() : 0;
    }

    private Endpoint PrimaryEndpoint(int ordinal) =>
        new(_options.Pod.PeerHost(ordinal, _options.Service), _options.Primary.Port);

    private async Task<LocalServerState> ReadLocalAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _localTimeout
                .ExecuteAsync(
                    static async (self, ct) =>
                    {
                        var connection = await self._server.OpenAsync(ct).ConfigureAwait(false);
                        await using (connection.ConfigureAwait(false))
                        {
                            return await LocalServerState
                                .ReadAsync(connection, ct)
                                .ConfigureAwait(false);
                        }
                    },
                    this,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (ServerTrouble.Is(e, cancellationToken)
                || e is FormatException or ReplicationSetupException
            )
        {
            return LocalServerState.Down(OneLine(e));
        }
    }

    /// <summary>
    /// This pod's candidate report for peers and <c>/status</c>, with what people need to see why a
    /// failover does or does not happen: its lag behind the primary's recorded position, why it
    /// could not take over now, and the elector's last step. Returns the report as this pod's
    /// candidate status, read once for both.
    /// </summary>
    private CandidateStatus PublishCandidate(LeaseRecord? lease)
    {
        var document = _local.ToDocument(_errant, FollowedTerm(lease));
        var self = CandidateReports.ToStatus(_options.Pod.PodName, _options.Pod.Ordinal, document);
        if (lease is not null)
        {
            document = document with
            {
                LagBehindPrimary = CandidateRules.LagBehindRecorded(self, lease),
                Ineligible =
                    _elector.Role == ElectorRole.Leader
                        ? null
                        : CandidateRules.Ineligibility(self, lease, _options.MaxLagOnFailover),
                Step = _lastStep,
            };
        }

        _role.SetCandidate(document);
        return self;
    }

    private void SetPromoted(bool promoted)
    {
        _promoted = promoted;
        _role.SetPromoted(promoted);
        // Read again at the next step: a promotion (run again after a restarted mysqld too) and a
        // rejoin turn it off.
        _semiSync = null;
        _metrics.SemiSyncSource.Set(0);
    }

    /// <summary>Hands the latest Lease to the role provider and the term gauge; logs a step that changed something.</summary>
    private void Publish(ElectionStep? step)
    {
        var lease = _elector.Lease;
        _role.Observe(lease, _elector.UntilRenewDeadline);
        if (lease is not null)
        {
            _metrics.ElectionTerm.Set(lease.Term);
        }

        if (step is null)
        {
            return;
        }

        _lastStep = string.IsNullOrEmpty(step.Detail)
            ? step.Event.ToString()
            : $"{step.Event}: {step.Detail}";
        var key = $"{step.Event}|{step.Role}|{lease?.Holder}|{lease?.Term}";
        if (key != _lastLogged)
        {
            ElectionLog.Stepped(
                _logger,
                step.Event.ToString(),
                step.Role.ToString(),
                lease?.Holder ?? "",
                lease?.Term ?? 0,
                step.Detail ?? ""
            );
        }

        _lastLogged = key;
    }

    /// <summary>
    /// Two primaries seen: this pod's own report and the peers' name two or more writable servers
    /// (counted, and logged once per set of names). Fencing should make it impossible; a follower
    /// that is one of them fences itself in this step. An old primary whose agent is gone does not
    /// answer, so it is not seen here.
    /// </summary>
    private void CountWritable(CandidateStatus self, IReadOnlyList<CandidateStatus> peers)
    {
        var writable = peers.Prepend(self).Where(c => c.Writable).Select(c => c.Name).ToList();
        if (writable.Count < 2)
        {
            _lastWritable = null;
            return;
        }

        _metrics.TwoPrimariesSeen.Inc();
        var text = string.Join(", ", writable);
        if (text != _lastWritable)
        {
            ElectionLog.TwoPrimaries(
                _logger,
                text,
                _elector.Lease?.Holder ?? "",
                _elector.Lease?.Term ?? 0
            );
            _lastWritable = text;
        }
    }

    private void LogPeers(IReadOnlyList<int> ordinals, IReadOnlyList<CandidateStatus> peers)
    {
        var text = string.Join(
            ", ",
            ordinals.Select(o =>
            {
                var name = _options.Pod.PeerPodName(o);
                return peers.Any(p => p.Name == name) ? name : name + " (no answer)";
            })
        );
        if (text.Length == 0)
        {
            text = "none found";
        }

        if (text != _lastPeers)
        {
            ElectionLog.Peers(_logger, text);
            _lastPeers = text;
        }
    }

    private static string OneLine(Exception e) =>
        e is OperationCanceledException or TimeoutRejectedException
            ? "no answer in time"
            : e.Message.ReplaceLineEndings(" ");
}
