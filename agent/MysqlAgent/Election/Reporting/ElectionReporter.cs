using Microsoft.Extensions.Logging;
using MysqlAgent.Health;
using MysqlAgent.Metrics;

namespace MysqlAgent.Election;

/// <summary>
/// The one writer of what the election shows: the role that readiness, <c>/status</c>, the
/// heartbeat and the metrics report (<see cref="RoleProvider"/>), the election's metrics, this pod's
/// candidate report, and the log lines written once per change (the step, the turn's sentence, the
/// peers, two primaries, the errant GTIDs). It decides nothing.
/// </summary>
public sealed class ElectionReporter(
    LeaderElector elector,
    ElectionPolicy policy,
    RoleProvider role,
    AgentMetrics metrics,
    ILogger logger
)
{
    private string? _lastStepLogged;
    private string? _lastStep;
    private string? _lastSentence;
    private string? _lastPeers;
    private string? _lastWritable;
    private string? _lastErrant;
    private string? _lastLabelError;

    /// <summary>Hands the latest Lease to the role provider and the term gauge; logs a step that changed something.</summary>
    public void Stepped(ElectionStep? step)
    {
        var lease = elector.Lease;
        role.Observe(
            lease is null ? null : LeaseHolder.Of(lease),
            elector.UntilRenewDeadline,
            elector.SinceLeaseChanged
        );
        if (lease is not null)
        {
            metrics.ElectionTerm.Set(lease.Term);
            metrics.FailoverPaused.Set(lease.Paused ? 1 : 0);
        }

        if (step is null)
        {
            return;
        }

        _lastStep = string.IsNullOrEmpty(step.Detail)
            ? step.Event.ToString()
            : $"{step.Event}: {step.Detail}";
        var key = $"{step.Event}|{step.Role}|{lease?.Holder}|{lease?.Term}";
        if (key != _lastStepLogged)
        {
            ElectionLog.Stepped(
                logger,
                step.Event.ToString(),
                step.Role.ToString(),
                lease?.Holder ?? "",
                lease?.Term ?? 0,
                step.Detail ?? ""
            );
        }

        _lastStepLogged = key;
    }

    /// <summary>The turn's own step of the elector: a holder that could not renew counts a renewal failure.</summary>
    public void CountRenewal(ElectionStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (
            step.Role == ElectorRole.Leader
            && step.Event is ElectionEvent.RenewFailed or ElectionEvent.StoreUnavailable
        )
        {
            metrics.LeaseRenewFailures.Inc();
        }
    }

    /// <summary>The turn's sentence, logged when it changes.</summary>
    public void Planned(ElectionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Sentence != _lastSentence)
        {
            ElectionLog.Turn(logger, plan.Sentence);
            _lastSentence = plan.Sentence;
        }
    }

    /// <summary>Shows the memory as it is now: the role, semi-sync, errant state, a counted failover.</summary>
    public void Remembered(ElectionMemory before, ElectionMemory after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        role.SetPromoted(after.Promoted);
        metrics.SemiSyncSource.Set(after.SemiSync == SemiSyncSourceState.On ? 1 : 0);
        if (
            after.Done.TryGetValue(OncePerTerm.FailoverCounted, out var counted)
            && !before.DoneIn(OncePerTerm.FailoverCounted, counted)
        )
        {
            metrics.Failovers.Inc();
        }

        var errant = after.Errant;
        if (errant.IsErrant)
        {
            metrics.ErrantGtids.Set(errant.Count);
            role.SetNotReadyReason(
                $"errant transactions {errant.Gtids} beyond the fork point of term {errant.ForkTerm} ({errant.ForkPoint}); re-clone this pod"
            );
            if (_lastErrant != errant.Gtids)
            {
                ElectionLog.Errant(logger, errant.Gtids!, errant.ForkPoint ?? "", errant.ForkTerm);
                _lastErrant = errant.Gtids;
            }
        }
        else if (before.Errant.IsErrant)
        {
            _lastErrant = null;
            metrics.ErrantGtids.Set(0);
            role.SetNotReadyReason(null);
        }
    }

    /// <summary>
    /// This pod's candidate report for peers and <c>/status</c>, with what people need to see why a
    /// failover does or does not happen: its lag behind the primary's recorded position, why it
    /// could not take over now, and the elector's last step. Returns the report as this pod's
    /// candidate status, read once for both.
    /// </summary>
    public CandidateStatus PublishCandidate(LeaseRecord? lease, ElectionMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var document = memory.Local.ToDocument(
            memory.Errant.IsErrant,
            ElectionDecision.FollowedTerm(lease, memory.Terms, memory.Local, policy)
        );
        var self = CandidateReports.ToStatus(policy.PodName, policy.Pod.Ordinal, document);
        if (lease is not null)
        {
            document = document with
            {
                LagBehindPrimary = CandidateRules.LagBehindRecorded(self, lease),
                Ineligible =
                    elector.Role == ElectorRole.Leader
                        ? null
                        : CandidateRules.Ineligibility(self, lease, policy.MaxLagOnFailover),
                Step = _lastStep,
            };
        }

        role.SetCandidate(document);
        return self;
    }

    /// <summary>The peers, named, logged when the set of those that answer changes.</summary>
    public void Peers(IReadOnlyList<int> ordinals, IReadOnlyList<CandidateStatus> peers)
    {
        ArgumentNullException.ThrowIfNull(ordinals);
        ArgumentNullException.ThrowIfNull(peers);
        var text = string.Join(
            ", ",
            ordinals.Select(o =>
            {
                var name = policy.Pod.PeerPodName(o);
                return peers.Any(p => p.Name == name) ? name : name + " (no answer)";
            })
        );
        if (text.Length == 0)
        {
            text = "none found";
        }

        if (text != _lastPeers)
        {
            ElectionLog.Peers(logger, text);
            _lastPeers = text;
        }
    }

    /// <summary>
    /// Two primaries seen: this pod's own report and the peers' name two or more writable servers
    /// (counted, and logged once per set of names). Fencing should make it impossible; a follower
    /// that is one of them fences itself in this turn. An old primary whose agent is gone does not
    /// answer, so it is not seen here.
    /// </summary>
    public void CountWritable(CandidateStatus self, IReadOnlyList<CandidateStatus> peers)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(peers);
        var writable = peers.Prepend(self).Where(c => c.Writable).Select(c => c.Name).ToList();
        if (writable.Count < 2)
        {
            _lastWritable = null;
            return;
        }

        metrics.TwoPrimariesSeen.Inc();
        var text = string.Join(", ", writable);
        if (text != _lastWritable)
        {
            ElectionLog.TwoPrimaries(
                logger,
                text,
                elector.Lease?.Holder ?? "",
                elector.Lease?.Term ?? 0
            );
            _lastWritable = text;
        }
    }

    /// <summary>The role label could not be set: logged once per error text.</summary>
    public void Labelled(string label, string? error)
    {
        if (error != _lastLabelError && error is not null)
        {
            ElectionLog.ActionFailed(logger, $"labelling the pod {label}", error);
        }

        _lastLabelError = error;
    }
}
