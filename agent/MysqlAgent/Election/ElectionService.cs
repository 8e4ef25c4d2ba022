using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Election;

/// <summary>
/// The agent's side of automatic failover, in <c>serve</c> when <c>--lease-store</c> is not
/// <c>none</c>. Every retry period it observes (its own mysqld, the peers' <c>/status</c>, one step
/// of the <see cref="LeaderElector"/>), decides (<see cref="ElectionDecision"/>, pure) and acts
/// (<see cref="ElectionActor"/>), and <see cref="ElectionReporter"/> shows the result. Its one piece
/// of state is the <see cref="ElectionMemory"/> that the turns pass on; what it turns with is
/// built by <see cref="ElectionParts"/>.
/// </summary>
/// <remarks>
/// The role that readiness, <c>/status</c>, the heartbeat and the metrics report follows from here
/// through <see cref="RoleProvider"/>: primary only once promoted, and only while the Lease is fresh.
/// </remarks>
public sealed class ElectionService(
    ElectionParts parts,
    AgentOptions options,
    ReplicationSetupStatus setup,
    TimeProvider time,
    ILogger<ElectionService> logger
) : BackgroundService
{
    private readonly LeaderElector _elector = parts.Elector;
    private readonly ElectionReporter _reporter = parts.Reporter;

    private ElectionMemory _memory = ElectionMemory.Initial;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timings = options.ElectionTimings;
        ElectionLog.Started(
            logger,
            options.Pod.PodName,
            options.LeaseStore.ToString(),
            timings.LeaseDuration.TotalSeconds,
            timings.RenewDeadline.TotalSeconds,
            timings.RetryPeriod.TotalSeconds,
            timings.FenceBudget.TotalSeconds,
            options.PrimaryStartTimeout.TotalSeconds
        );
        using var timer = new PeriodicTimer(timings.RetryPeriod, time);
        do
        {
            // Woken early (at the renew deadline) or at the tick: a turn starts by fencing a
            // holder whose deadline passed.
            try
            {
                await TurnAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                ElectionLog.StepCrashed(logger, e);
            }
        } while (
            await TurnWaits.WaitAsync(timer, WakeAfter(), time, stoppingToken).ConfigureAwait(false)
        );

        await parts.Actor.DrainAsync(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>One turn: observe, decide, act, show.</summary>
    private async Task TurnAsync(CancellationToken cancellationToken)
    {
        // A holder woken past its renew deadline (a frozen pod thawed, a starved process) fences
        // before anything else: reading mysqld and the peers first would leave it writable longer.
        await LoseLeaseIfOverdueAsync(cancellationToken).ConfigureAwait(false);

        _memory = _memory with
        {
            Local = await parts.Reader.ReadAsync(cancellationToken).ConfigureAwait(false),
        };
        var self = _reporter.PublishCandidate(_elector.Lease, _memory);

        // The peers are read while the Lease is: the elector waits for them only to decide a race.
        var ordinals = await parts.Peers.OrdinalsAsync(cancellationToken).ConfigureAwait(false);
        var reading = parts.Peers.ReadAsync(ordinals, cancellationToken);
        var mayCreate =
            options.Pod.Ordinal == 0 && !ReplicationSetupMarker.Done(options.DataDir).Exists;
        var step = await parts
            .Step.StepAsync(self, reading, mayCreate, cancellationToken)
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
            time.GetTimestamp(),
            time.TimestampFrequency
        );
        await RunAsync(
                ElectionDecision.Decide(observation, _memory, parts.Policy),
                cancellationToken
            )
            .ConfigureAwait(false);

        _reporter.PublishCandidate(_elector.Lease, _memory);
        await parts
            .Actor.LabelAsync(_memory.Errant.IsErrant, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Carries a plan out: its memory first, then each action in order, each outcome (and what it calls for) remembered and shown at once.</summary>
    private async Task RunAsync(ElectionPlan plan, CancellationToken cancellationToken)
    {
        _reporter.Planned(plan);
        Remember(plan.Memory);
        var pending = new Queue<ElectionAction>(plan.Actions);
        while (pending.TryDequeue(out var action))
        {
            var outcome = await parts
                .Actor.RunAsync(action, _memory, cancellationToken)
                .ConfigureAwait(false);
            foreach (var next in ElectionDecision.FollowUp(outcome, _memory, parts.Policy))
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
        setup.Current.State is ReplicationSetupState.Pending or ReplicationSetupState.Running;

    /// <summary>How long before the next tick to wake (<see cref="ElectionDecision.WakeAfter"/>); null for the tick.</summary>
    private TimeSpan? WakeAfter() =>
        ElectionDecision.WakeAfter(
            _elector.Role,
            _elector.Lease,
            _elector.UntilRenewDeadline,
            _elector.UntilExpiry,
            ElectionDecision.MustRejoin(_elector.Lease, _memory, SetupBusy, parts.Policy),
            options.ElectionTimings
        );
}
