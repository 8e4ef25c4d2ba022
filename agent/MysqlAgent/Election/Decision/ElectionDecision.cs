using MysqlAgent.Identity;

namespace MysqlAgent.Election;

/// <summary>
/// The election's rules: from what a turn observed, what earlier turns did and the policy, the
/// plan of this turn, as data. No I/O, no clock, no logger: every rule is a row of a table test.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Holder: a race winner that has not promoted hands the Lease to a more advanced eligible
/// peer; a holder whose mysqld is down is not primary, and releases the Lease once it has been down
/// for the primary start timeout; a switchover request is remembered at the first step that sees it
/// and carried out at the second; a promoted, writable primary ensures semi-sync; otherwise it
/// moves the labels, fences the last primary (once per term) and promotes.</item>
/// <item>Lost the Lease: not primary first, then fence if the server could be writable.</item>
/// <item>Follower: never primary; a writable follower fences; it follows the holder, after the
/// errant check against the fork point of the term it joins; with no fork point yet it stops
/// fetching from the old primary once per term and waits.</item>
/// </list>
/// </remarks>
public static class ElectionDecision
{
    /// <summary>
    /// A follower's step interval while the primary changes (at most the retry period): a switchover
    /// is pending, it must rejoin a new primary, or the Lease has expired and another pod is taking it.
    /// </summary>
    public static readonly TimeSpan FastStep = TimeSpan.FromMilliseconds(200);

    /// <summary>How long after the Lease's expiry by its clock a follower steps, so that the step sees it expired.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromMilliseconds(10);

    /// <summary>The plan of a turn.</summary>
    public static ElectionPlan Decide(
        Observation observation,
        ElectionMemory memory,
        ElectionPolicy policy
    )
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(policy);
        return observation.Role == ElectorRole.Leader && observation.Lease is { } lease
            ? Lead(observation, lease, memory, policy)
            : Follow(observation, memory, policy);
    }

    /// <summary>
    /// The plan once this pod lost the Lease (a FenceNow step, or the renew deadline passed between
    /// two steps): it stops calling itself primary, then fences unless its server could not be
    /// writable (down, or neither promoted nor writable as last read).
    /// </summary>
    public static ElectionPlan LoseLease(ElectionStep step, ElectionMemory memory)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(memory);
        var next = memory with { DownSince = null };
        var why = step.Detail ?? "lost the Lease";
        return memory.Local.Up && (memory.Promoted || memory.Local.Writable)
            ? new ElectionPlan(
                [new ElectionAction.SetPrimary(false), new ElectionAction.FenceSelf(why, false)],
                $"lost the Lease ({why}): fencing",
                next
            )
            : new ElectionPlan(
                [new ElectionAction.SetPrimary(false)],
                $"lost the Lease ({why}): nothing writable to fence",
                next
            );
    }

    /// <summary>What an action's outcome calls for next in the same turn.</summary>
    public static IReadOnlyList<ElectionAction> FollowUp(
        ActionOutcome outcome,
        ElectionMemory memory,
        ElectionPolicy policy
    )
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(policy);
        return
            outcome is ActionOutcome.FoundErrant errant
            && policy.RecloneErrant
            && !memory.Errant.RecloneRequested
            ?
            [
                new ElectionAction.RequestReclone(
                    errant.HolderOrdinal,
                    errant.ForkTerm,
                    errant.Gtids
                ),
            ]
            : [];
    }

    /// <summary>
    /// The term of the primary this server last followed or held: remembered, else inferred from
    /// its replication source (the latest term the Lease's history gives to the pod at that address).
    /// </summary>
    public static long FollowedTerm(
        LeaseRecord? lease,
        TermMemory terms,
        LocalServerState local,
        ElectionPolicy policy
    )
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(policy);
        var known = Math.Max(terms.Followed, terms.Held);
        if (known > 0 || lease is null || local.Source is not { } source)
        {
            return known;
        }

        var held = lease
            .History.Select(h => (h.Term, h.Holder))
            .Append((lease.Term, lease.Holder))
            .Where(t =>
                PodIdentity.TryParse(t.Holder, out var pod, out _)
                && policy.IsPrimaryOf(source, pod.Ordinal)
            )
            .Select(t => t.Term)
            .ToList();
        return held.Count > 0 ? held.Max() : 0;
    }

    /// <summary>
    /// A follower whose server is up, not errant and not being set up still follows an older term
    /// than the Lease's: it rejoins the new primary as soon as it sees its fork point, which the new
    /// primary waits for (up to a retry period) before it takes writes with semi-sync.
    /// </summary>
    public static bool MustRejoin(
        LeaseRecord? lease,
        ElectionMemory memory,
        bool setupBusy,
        ElectionPolicy policy
    )
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(policy);
        return lease is { IsHeld: true }
            && lease.Holder != policy.PodName
            && memory.Local.Up
            && !memory.Errant.IsErrant
            && !setupBusy
            && FollowedTerm(lease, memory.Terms, memory.Local, policy) < lease.Term;
    }

    /// <summary>
    /// When to step next if earlier than the retry period; null for the retry period. A holder is
    /// woken at its renew deadline. A follower steps every <see cref="FastStep"/> while the primary
    /// changes (a switchover pending, a rejoin due), and just after the Lease expires by its clock;
    /// while the Lease stays expired it steps fast for another lease duration, then at the retry
    /// period (nobody eligible); a paused Lease is not waited on.
    /// </summary>
    public static TimeSpan? WakeAfter(
        ElectorRole role,
        LeaseRecord? lease,
        TimeSpan? untilRenewDeadline,
        TimeSpan? untilExpiry,
        bool mustRejoin,
        ElectionTimings timings
    )
    {
        ArgumentNullException.ThrowIfNull(timings);
        TimeSpan? wake = null;
        void Earlier(TimeSpan? at)
        {
            if (at is { } t && t < timings.RetryPeriod && (wake is null || t < wake))
            {
                wake = t;
            }
        }

        Earlier(untilRenewDeadline);
        if (role != ElectorRole.Leader)
        {
            if (lease?.Switchover is not null || mustRejoin)
            {
                Earlier(FastStep);
            }

            if (untilExpiry is { } expiry && lease is { Paused: false })
            {
                Earlier(
                    expiry > TimeSpan.Zero ? expiry + ExpiryMargin
                    : expiry > -timings.LeaseDuration ? FastStep
                    : null
                );
            }
        }

        return wake;
    }

    private static ElectionPlan Lead(
        Observation o,
        LeaseRecord lease,
        ElectionMemory memory,
        ElectionPolicy policy
    )
    {
        var term = lease.Term;
        var m = memory with { Terms = memory.Terms with { Held = term } };
        if (o.Step.Event == ElectionEvent.Acquired)
        {
            // A switchover's target is handed the Lease by a primary that had promoted (its term
            // has a fork point): no failover. A race winner that handed over had not.
            m = m with
            {
                Terms = m.Terms with { Acquired = term },
                HandedToMe =
                    o.Step.Acquisition == LeaseAcquisition.HandedOver
                    && lease.History.Any(h => h.Term == term - 1),
            };
        }

        // Only a race winner that has not promoted in this term hands over: a created or resumed
        // Lease has no more advanced replica, and after its promotion the peers follow it.
        if (
            !m.Promoted
            && m.Terms.Acquired == term
            && m.Terms.Promoted != term
            && CandidateRules.BetterPeer(o.Self, o.Peers, lease, policy.MaxLagOnFailover)
                is { } better
        )
        {
            return new ElectionPlan(
                [new ElectionAction.HandOver(better, o.Self)],
                $"handing term {term} over to {better.Name}: it is ahead ({better.Progress} vs {o.Self.Progress})",
                m
            );
        }

        if (!o.Local.Up)
        {
            // Not the primary while its server is down; a restarted (read-only) one is promoted again.
            var since = m.DownSince ?? o.Now;
            m = m with { DownSince = since };
            var down = TimeSpan.FromSeconds((o.Now - since) / (double)o.TimestampFrequency);
            var timeout = policy.PrimaryStartTimeout.TotalSeconds;
            return down >= policy.PrimaryStartTimeout
                ? new ElectionPlan(
                    [new ElectionAction.SetPrimary(false), new ElectionAction.Release(term, down)],
                    $"releasing term {term}: mysqld has been down for the primary start timeout ({timeout:0.#} s)",
                    m
                )
                : new ElectionPlan(
                    [new ElectionAction.SetPrimary(false)],
                    $"holding term {term} while mysqld is down; releasing it after {timeout:0.#} s down",
                    m
                );
        }

        m = m with { DownSince = null };
        if (m.Promoted && lease.Switchover is { } request)
        {
            // Acted on at the second step that sees it: in between, every follower has stepped
            // once, seen the request and begun to step fast, so that the write pause is not spent
            // waiting for a target's next ordinary step.
            return m.SwitchoverSeen != request
                ? new ElectionPlan(
                    [],
                    $"switchover to {request.To ?? "the best replica"} requested in term {request.Term}: carried out at the next step",
                    m with
                    {
                        SwitchoverSeen = request,
                    }
                )
                : SwitchOver(o, lease, request, m);
        }

        m = m with { SwitchoverSeen = null };
        if (m.Promoted && o.Local.Writable)
        {
            return new ElectionPlan(
                policy.SemiSync
                && m.SemiSync is not (SemiSyncSourceState.On or SemiSyncSourceState.Unavailable)
                    ? [new ElectionAction.EnsureSemiSync(term)]
                    : [],
                $"primary in term {term}",
                m
            );
        }

        var actions = new List<ElectionAction>();
        if (policy.LabelPods && !m.DoneIn(OncePerTerm.LabelsMoved, term))
        {
            actions.Add(
                new ElectionAction.MoveLabels(
                    term,
                    lease
                        .History.Where(h => h.Term < term && h.Holder != policy.PodName)
                        .Select(h => h.Holder)
                        .Distinct(StringComparer.Ordinal)
                        .ToList()
                )
            );
        }

        if (!m.DoneIn(OncePerTerm.LastPrimaryFenced, term))
        {
            m = m.Mark(OncePerTerm.LastPrimaryFenced, term);
            if (LastPrimary(lease, policy) is { } last)
            {
                actions.Add(
                    new ElectionAction.FenceLastPrimary(
                        term,
                        last.Holder,
                        last.Ordinal,
                        o.PeerOrdinals.Where(p => p != last.Ordinal).ToList()
                    )
                );
            }
        }

        actions.Add(new ElectionAction.Promote(term, lease.History.Any(h => h.Term == term)));
        return new ElectionPlan(actions, $"promoting in term {term}", m);
    }

    /// <summary>The holder of the latest earlier term, when it is another pod of the set.</summary>
    private static (string Holder, int Ordinal)? LastPrimary(
        LeaseRecord lease,
        ElectionPolicy policy
    )
    {
        var last = lease
            .History.Where(h => h.Term < lease.Term)
            .OrderByDescending(h => h.Term)
            .FirstOrDefault();
        return
            last is null
            || last.Holder == policy.PodName
            || !PodIdentity.TryParse(last.Holder, out var pod, out _)
            ? null
            : (last.Holder, pod.Ordinal);
    }

    private static ElectionPlan SwitchOver(
        Observation o,
        LeaseRecord lease,
        SwitchoverRequest request,
        ElectionMemory m
    )
    {
        var target = request.To is { } to
            ? o.Peers.FirstOrDefault(p => p.Name == to)
            : CandidateRules.SwitchoverTarget(o.Peers, lease);
        var refusal =
            request.Term != lease.Term
                ? $"the request was for term {request.Term}, this is term {lease.Term}"
            : target is null
                ? $"{request.To ?? "no eligible replica"} did not answer as a candidate"
            : CandidateRules.Ineligibility(target, lease) is { Count: > 0 } reasons
                ? $"{target.Name} is not eligible: {string.Join(", ", reasons)}"
            : null;
        if (refusal is not null || target is null)
        {
            var why = refusal ?? "no target";
            return new ElectionPlan(
                [new ElectionAction.RefuseSwitchover(why)],
                $"refusing the switchover: {why}",
                m
            );
        }

        // Not primary first: no heartbeat starts after this, so none lands after the fence.
        return new ElectionPlan(
            [new ElectionAction.SetPrimary(false), new ElectionAction.SwitchOver(lease, target)],
            $"switching over to {target.Name} in term {lease.Term}",
            m
        );
    }

    private static ElectionPlan Follow(Observation o, ElectionMemory memory, ElectionPolicy policy)
    {
        var actions = new List<ElectionAction> { new ElectionAction.SetPrimary(false) };
        var m = memory;
        if (!o.Local.Up)
        {
            return new ElectionPlan(
                actions,
                "mysqld does not answer: nothing to fence or follow",
                m
            );
        }

        if (o.Local.Writable)
        {
            actions.Add(new ElectionAction.FenceSelf("writable without the Lease", true));
        }

        var lease = o.Lease;
        if (lease is not { IsHeld: true })
        {
            return new ElectionPlan(
                actions,
                lease is null ? "no Lease yet" : $"nobody holds term {lease.Term} ({o.Step.Event})",
                m
            );
        }

        if (
            lease.Holder == policy.PodName
            || !PodIdentity.TryParse(lease.Holder, out var holder, out _)
        )
        {
            return new ElectionPlan(
                actions,
                $"the Lease names {lease.Holder} in term {lease.Term}, not a pod to follow",
                m
            );
        }

        // A fresh clone's first setup is the setup service's (from the clone's info files).
        if (o.SetupBusy)
        {
            return new ElectionPlan(
                actions,
                "the clone's first replication setup runs; the setup service points it at the primary",
                m
            );
        }

        var source = policy.PrimaryEndpoint(holder.Ordinal);
        if (o.Local.Source is { } current && current.SameAs(policy.ConnectTo.Resolve(source)))
        {
            return new ElectionPlan(
                actions,
                $"following {lease.Holder} in term {lease.Term}",
                m with
                {
                    Terms = m.Terms with { Followed = Math.Max(m.Terms.Followed, lease.Term) },
                    Errant = m.Errant.Cleared(),
                }
            );
        }

        var followed = FollowedTerm(lease, m.Terms, o.Local, policy);
        var fork =
            followed >= lease.Term
                ? lease.History.FirstOrDefault(h => h.Term == lease.Term)
                : lease.FirstTermAfter(followed);
        if (fork is null)
        {
            if (!m.DoneIn(OncePerTerm.FetchStopped, lease.Term) && o.Local.Source is { } old)
            {
                m = m.Mark(OncePerTerm.FetchStopped, lease.Term);
                actions.Add(new ElectionAction.StopFetching(lease, old));
            }

            return new ElectionPlan(
                actions,
                $"waiting for {lease.Holder} to record the fork point of term {lease.Term} before following it",
                m
            );
        }

        actions.Add(
            new ElectionAction.Follow(lease.Holder, holder.Ordinal, lease.Term, fork, source)
        );
        return new ElectionPlan(
            actions,
            $"rejoining {lease.Holder} in term {lease.Term} at the fork point of term {fork.Term}",
            m
        );
    }
}
