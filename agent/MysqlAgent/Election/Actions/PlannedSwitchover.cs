using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Election;

/// <summary>
/// The primary's side of a planned switchover (<c>mysql-agent switchover</c>): read-only and kill
/// client connections, renew, wait until the target holds every transaction, hand it the Lease. A
/// target that does not catch up within the renew deadline less one retry period aborts it: the
/// request is dropped and the next turn makes this server writable again in the same term.
/// </summary>
public sealed class PlannedSwitchover(
    LeaderElector elector,
    SelfFence fence,
    LocalServerReader reader,
    PeerCandidates peers,
    ElectionReporter reporter,
    ElectionPolicy policy,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger logger
)
{
    /// <summary>Carries the switchover to <paramref name="target"/> out; answers whether this server was fenced.</summary>
    public async Task<ActionOutcome> RunAsync(
        LeaseRecord lease,
        CandidateStatus target,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(target);
        var started = time.GetTimestamp();
        var fenced = await fence
            .FenceAsync($"switchover to {target.Name}", planned: true, cancellationToken)
            .ConfigureAwait(false);
        var local = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var own = CandidateReports
            .ToStatus(policy.PodName, policy.Pod.Ordinal, local.ToDocument(false, lease.Term))
            .Progress;
        ElectionLog.SwitchoverStarted(
            logger,
            target.Name,
            lease.Term,
            own?.ToString() ?? "unknown"
        );

        // A renewal now, with this server read-only, gives the catch-up the whole budget rather
        // than what the fence left of it: under load the fence alone took the rest (CI run D).
        var renewed = await elector
            .UpdateAnnotationsAsync(r => r, cancellationToken)
            .ConfigureAwait(false);
        if (renewed.Outcome != LeaseOutcome.Ok)
        {
            ElectionLog.ActionFailed(logger, "renewing before the catch-up", renewed.ToString());
        }

        var budget = elector.UntilRenewDeadline is { } left
            ? left - policy.Timings.RetryPeriod
            : TimeSpan.Zero;
        var caughtUp =
            own is not null
            && budget > TimeSpan.Zero
            && await CatchUpAsync(target, own, budget, cancellationToken).ConfigureAwait(false);
        if (!caughtUp)
        {
            ElectionLog.SwitchoverAborted(
                logger,
                target.Name,
                $"it did not catch up within {Math.Max(0, budget.TotalSeconds):0.#} s",
                lease.Term
            );
            metrics.Switchovers.WithLabels("aborted").Inc();
            await DropAsync(cancellationToken).ConfigureAwait(false);
            return new ActionOutcome.Fenced(fenced);
        }

        var handed = await elector
            .HandOverAsync(target.Name, cancellationToken)
            .ConfigureAwait(false);
        reporter.Stepped(handed);
        if (handed.Event == ElectionEvent.HandedOver)
        {
            metrics.Switchovers.WithLabels("done").Inc();
            ElectionLog.SwitchedOver(
                logger,
                target.Name,
                handed.Lease?.Term ?? lease.Term + 1,
                (long)time.GetElapsedTime(started).TotalMilliseconds
            );
        }

        return new ActionOutcome.Fenced(fenced);
    }

    /// <summary>A request that cannot be carried out: logged, counted and dropped.</summary>
    public async Task<ActionOutcome> RefuseAsync(string why, CancellationToken cancellationToken)
    {
        ElectionLog.SwitchoverRefused(logger, why);
        metrics.Switchovers.WithLabels("refused").Inc();
        await DropAsync(cancellationToken).ConfigureAwait(false);
        return ActionOutcome.None.Instance;
    }

    /// <summary>Asks the target's /status until what it has applied holds <paramref name="own"/>.</summary>
    private async Task<bool> CatchUpAsync(
        CandidateStatus target,
        GtidProgress own,
        TimeSpan budget,
        CancellationToken cancellationToken
    ) =>
        await Poll.UntilTrueAsync(
                async ct =>
                {
                    var answer = await peers.ReadAsync([target.Ordinal], ct).ConfigureAwait(false);
                    return answer is [{ Applied: { } applied }] && applied.Contains(own);
                },
                budget,
                time,
                cancellationToken
            )
            .ConfigureAwait(false);

    private async Task DropAsync(CancellationToken cancellationToken)
    {
        var dropped = await elector
            .UpdateAnnotationsAsync(r => r with { Switchover = null }, cancellationToken)
            .ConfigureAwait(false);
        if (dropped.Outcome != LeaseOutcome.Ok)
        {
            ElectionLog.ActionFailed(logger, "dropping the switchover request", dropped.ToString());
        }

        reporter.Stepped(null);
    }
}
