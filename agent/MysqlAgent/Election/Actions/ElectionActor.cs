using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Replication;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>
/// Carries out the actions of a plan, one at a time, each reporting its outcome. The long
/// procedures are classes of their own (<see cref="SelfFence"/>, <see cref="Promotion"/>,
/// <see cref="Rejoin"/>, <see cref="LastPrimaryFence"/>, <see cref="PlannedSwitchover"/>); a
/// failure is logged here and the action tried again when a later turn plans it.
/// </summary>
public sealed class ElectionActor(
    AgentOptions options,
    ElectionPolicy policy,
    LocalServer server,
    LeaderElector elector,
    RoleProvider role,
    ElectionReporter reporter,
    SelfFence fence,
    Promotion promotion,
    Rejoin rejoin,
    LastPrimaryFence lastPrimaryFence,
    PlannedSwitchover switchover,
    PodRoleLabel? label,
    IPodDeleter? deleter,
    TimeProvider time,
    ILogger logger
)
{
    private Task _lastPrimaryFence = Task.CompletedTask;

    /// <summary>Carries out <paramref name="action"/>; <paramref name="memory"/> is what the turn knows before it.</summary>
    public async Task<ActionOutcome> RunAsync(
        ElectionAction action,
        ElectionMemory memory,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(memory);
        switch (action)
        {
            case ElectionAction.SetPrimary set:
                return new ActionOutcome.RoleSet(set.Primary);
            case ElectionAction.FenceSelf f:
                if (f.WritableFollower)
                {
                    ElectionLog.WritableWithoutLease(
                        logger,
                        elector.Lease?.Holder ?? "",
                        elector.Lease?.Term ?? 0
                    );
                }

                return new ActionOutcome.Fenced(
                    await fence
                        .FenceAsync(f.Why, planned: false, cancellationToken)
                        .ConfigureAwait(false)
                );
            case ElectionAction.HandOver h:
                ElectionLog.HandingOver(
                    logger,
                    h.To.Name,
                    h.To.Progress?.ToString() ?? "",
                    h.Self.Progress?.ToString() ?? ""
                );
                reporter.Stepped(
                    await elector.HandOverAsync(h.To.Name, cancellationToken).ConfigureAwait(false)
                );
                return ActionOutcome.None.Instance;
            case ElectionAction.Release r:
                ElectionLog.Releasing(
                    logger,
                    Math.Round(r.DownFor.TotalSeconds, 1),
                    policy.PrimaryStartTimeout.TotalSeconds,
                    r.Term
                );
                reporter.Stepped(
                    await elector.ReleaseAsync(cancellationToken).ConfigureAwait(false)
                );
                return ActionOutcome.None.Instance;
            case ElectionAction.RefuseSwitchover refuse:
                return await switchover
                    .RefuseAsync(refuse.Why, cancellationToken)
                    .ConfigureAwait(false);
            case ElectionAction.SwitchOver s:
                return await switchover
                    .RunAsync(s.Lease, s.Target, cancellationToken)
                    .ConfigureAwait(false);
            case ElectionAction.EnsureSemiSync semiSync:
                return await SemiSyncAsync(semiSync.Term, memory, cancellationToken)
                    .ConfigureAwait(false);
            case ElectionAction.MoveLabels labels:
                return await MoveLabelsAsync(labels, cancellationToken).ConfigureAwait(false);
            case ElectionAction.FenceLastPrimary last:
                // In the background: a frozen server would hold the promotion back for a connect timeout.
                _lastPrimaryFence = lastPrimaryFence.RunAsync(
                    (last.Pod, policy.PrimaryEndpoint(last.Ordinal)),
                    last.Others.Select(o => (policy.Pod.PeerPodName(o), policy.PrimaryEndpoint(o)))
                        .ToList(),
                    last.Term,
                    cancellationToken
                );
                return ActionOutcome.None.Instance;
            case ElectionAction.Promote p:
                return await PromoteAsync(p, cancellationToken).ConfigureAwait(false);
            case ElectionAction.StopFetching stop:
                await StopFetchingAsync(stop.Lease, stop.OldSource, cancellationToken)
                    .ConfigureAwait(false);
                return ActionOutcome.None.Instance;
            case ElectionAction.Follow follow:
                return await FollowAsync(follow, cancellationToken).ConfigureAwait(false);
            case ElectionAction.RequestReclone reclone:
                return await RequestRecloneAsync(reclone, cancellationToken).ConfigureAwait(false);
            default:
                throw new ArgumentOutOfRangeException(
                    nameof(action),
                    action,
                    "an action without an actor"
                );
        }
    }

    /// <summary>The pod label <c>mysql-agent.io/role</c> (Kubernetes store only) follows the role.</summary>
    public async Task LabelAsync(bool errant, CancellationToken cancellationToken)
    {
        if (label is null)
        {
            return;
        }

        var value =
            errant ? "errant"
            : role.IsPrimary ? HealthRoles.Primary
            : HealthRoles.Replica;
        reporter.Labelled(
            value,
            await label.SetAsync(value, cancellationToken).ConfigureAwait(false)
        );
    }

    /// <summary>Waits for the background fence of the last primary (it logs its own failures).</summary>
    public async Task DrainAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _lastPrimaryFence.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>
    /// Layer 3 of fencing (Kubernetes store only): before it promotes in a new term, the holder takes
    /// the primary label off the pods that held the Lease before it. A failure is logged and tried
    /// again at the next turn; it does not hold the promotion back (the old primary cannot commit
    /// anyway: it fenced itself or has no replica to acknowledge).
    /// </summary>
    private async Task<ActionOutcome> MoveLabelsAsync(
        ElectionAction.MoveLabels labels,
        CancellationToken cancellationToken
    )
    {
        if (label is null)
        {
            return ActionOutcome.None.Instance;
        }

        var all = true;
        foreach (var pod in labels.OldHolders)
        {
            var (demoted, error) = await label
                .DemoteAsync(pod, cancellationToken)
                .ConfigureAwait(false);
            if (error is not null)
            {
                ElectionLog.ActionFailed(logger, $"taking the primary label off {pod}", error);
                all = false;
            }
            else if (demoted)
            {
                ElectionLog.DemotedOldHolder(logger, pod, labels.Term);
            }
        }

        return new ActionOutcome.LabelsMoved(labels.Term, all);
    }

    private async Task<ActionOutcome> PromoteAsync(
        ElectionAction.Promote promote,
        CancellationToken cancellationToken
    )
    {
        var timings = policy.Timings;
        var applyTimeout = timings.RenewDeadline - timings.RetryPeriod * 2;
        if (applyTimeout < TimeSpan.FromSeconds(1))
        {
            applyTimeout = TimeSpan.FromSeconds(1);
        }

        string? forkPoint;
        string pending;
        try
        {
            (forkPoint, pending) = await promotion
                .RunAsync(
                    promote.Term,
                    promote.ForkPointRecorded,
                    applyTimeout,
                    RecordForkPointAsync,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (ServerTrouble.Is(e, cancellationToken) || e is ReplicationSetupException)
        {
            (forkPoint, pending) = (null, ServerTrouble.OneLine(e));
        }

        // Recording the fork point renewed the Lease.
        reporter.Stepped(null);
        if (forkPoint is null)
        {
            ElectionLog.PromotionPending(logger, promote.Term, pending);
            return ActionOutcome.None.Instance;
        }

        return new ActionOutcome.Promoted(promote.Term, forkPoint);
    }

    private async Task<bool> RecordForkPointAsync(
        string forkPoint,
        CancellationToken cancellationToken
    )
    {
        var written = await elector
            .RecordForkPointAsync(forkPoint, cancellationToken)
            .ConfigureAwait(false);
        if (written.Outcome != LeaseOutcome.Ok)
        {
            ElectionLog.ActionFailed(logger, "recording the fork point", written.ToString());
        }

        return written.Outcome == LeaseOutcome.Ok;
    }

    /// <summary>The promoted primary turns semi-sync on once a replica would acknowledge (<see cref="SemiSyncSource"/>).</summary>
    private async Task<ActionOutcome> SemiSyncAsync(
        long term,
        ElectionMemory memory,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var (state, turnedOn) = await SemiSyncSource
                    .EnsureAsync(connection, memory.Local.Server!, cancellationToken)
                    .ConfigureAwait(false);
                if (turnedOn)
                {
                    ElectionLog.SemiSyncOn(logger, term);
                }
                else if (state == SemiSyncSourceState.Unavailable)
                {
                    ElectionLog.SemiSyncUnavailable(logger);
                }

                return new ActionOutcome.SemiSyncEnsured(state);
            }
        }
        catch (Exception e) when (ServerTrouble.Is(e, cancellationToken))
        {
            ElectionLog.ActionFailed(
                logger,
                "turning semi-synchronous replication on",
                ServerTrouble.OneLine(e)
            );
            return ActionOutcome.None.Instance;
        }
    }

    /// <summary>
    /// Layer 2 of fencing, from a follower's side, once per term: a follower that sees a new holder
    /// stops fetching from the old primary at once, before the new one has recorded its fork point,
    /// so the old primary gets no acknowledgement from it (and, with every replica so, commits
    /// nothing). The stop also runs beside the new primary's promotion rather than after it: when
    /// the IO thread is caught connecting to a frozen primary, MariaDB's STOP SLAVE takes about 2 s
    /// (it signals the thread again every 2 s), and the new primary waits for a replica.
    /// </summary>
    private async Task StopFetchingAsync(
        LeaseRecord lease,
        Endpoint old,
        CancellationToken cancellationToken
    )
    {
        var started = time.GetTimestamp();
        try
        {
            await server
                .RunAsync(FailoverStatementRenderer.RenderAckFence, cancellationToken)
                .ConfigureAwait(false);
            ElectionLog.StoppedFetching(
                logger,
                lease.Term,
                old.ToString(),
                (long)time.GetElapsedTime(started).TotalMilliseconds,
                lease.Holder
            );
        }
        catch (Exception e) when (ServerTrouble.Is(e, cancellationToken))
        {
            ElectionLog.ActionFailed(
                logger,
                "stopping the fetch from the old primary",
                ServerTrouble.OneLine(e)
            );
        }
    }

    private async Task<ActionOutcome> FollowAsync(
        ElectionAction.Follow follow,
        CancellationToken cancellationToken
    )
    {
        IReadOnlyList<string> errant;
        try
        {
            errant = await rejoin
                .RunAsync(
                    follow.Holder,
                    follow.Term,
                    follow.Fork.ForkPosition,
                    follow.Source,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (ServerTrouble.Is(e, cancellationToken)
                || e is ReplicationSetupException or FormatException
            )
        {
            ElectionLog.ActionFailed(
                logger,
                $"following {follow.Holder}",
                ServerTrouble.OneLine(e)
            );
            return ActionOutcome.None.Instance;
        }

        return errant.Count == 0
            ? new ActionOutcome.Followed(follow.Term)
            : new ActionOutcome.FoundErrant(
                string.Join(",", errant),
                errant.Count,
                follow.Fork.ForkPosition,
                follow.Fork.Term,
                follow.HolderOrdinal
            );
    }

    /// <summary>
    /// With <c>--reclone-errant</c>: writes the re-clone request into the datadir (the primary as
    /// donor), then deletes this pod, so that the next pod's clone container moves the datadir aside
    /// and clones. A failure is logged and tried again at the next turn that finds the pod errant.
    /// </summary>
    private async Task<ActionOutcome> RequestRecloneAsync(
        ElectionAction.RequestReclone reclone,
        CancellationToken cancellationToken
    )
    {
        if (deleter is null)
        {
            return ActionOutcome.None.Instance;
        }

        // The stable name only: the clone container adds its own --backup-port, the set's (in the
        // local set this agent listens on a port of its own, mapped from that one).
        var donor = options.Pod.PeerHost(reclone.DonorOrdinal, options.Service);
        var request = new Clone.RecloneRequest(
            donor,
            reclone.Term,
            reclone.Gtids,
            time.GetUtcNow()
        );
        try
        {
            request.WriteTo(options.DataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ElectionLog.ActionFailed(logger, "writing the re-clone request", e.Message);
            return ActionOutcome.None.Instance;
        }

        var error = await deleter.DeleteOwnPodAsync(cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            ElectionLog.ActionFailed(logger, "deleting this pod for its re-clone", error);
            return ActionOutcome.None.Instance;
        }

        ElectionLog.RecloneRequested(
            logger,
            reclone.Gtids,
            donor,
            Clone.RecloneRequest.PathIn(options.DataDir)
        );
        return ActionOutcome.RecloneAsked.Instance;
    }
}
