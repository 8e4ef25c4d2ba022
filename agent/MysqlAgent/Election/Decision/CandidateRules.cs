using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Election;

/// <summary>
/// Who may race for an expired Lease: pure functions of the pods' reports and the record, so the
/// same rules can be unit-tested and applied by every agent alike.
/// </summary>
public static class CandidateRules
{
    /// <summary>Why <paramref name="candidate"/> may not become primary in the term after <paramref name="lease"/>'s; empty when it may.</summary>
    /// <param name="candidate">The pod's report.</param>
    /// <param name="lease">The Lease as last read.</param>
    /// <param name="maxLag">
    /// <c>--max-lag-on-failover</c>: the most transactions of the primary's recorded position it may
    /// lack; null for no bound (a switchover's target catches up instead).
    /// </param>
    public static IReadOnlyList<string> Ineligibility(
        CandidateStatus candidate,
        LeaseRecord lease,
        ulong? maxLag = null
    )
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(lease);
        var reasons = new List<string>();
        if (!candidate.MysqldUp)
        {
            reasons.Add("mysqld is down");
        }

        if (candidate.Errant)
        {
            reasons.Add("it has errant transactions");
        }

        var required = LastPrimaryTerm(lease);
        if (candidate.FollowedTerm < required || candidate.FollowedTerm > lease.Term)
        {
            reasons.Add(
                required == lease.Term
                    ? $"it followed term {candidate.FollowedTerm}, the current term is {lease.Term}"
                    : $"it followed term {candidate.FollowedTerm}, the last primary's term is {required}"
            );
        }

        if (candidate.Progress is null)
        {
            reasons.Add("its GTID position is unknown");
        }

        if (candidate.Priority <= 0)
        {
            reasons.Add("its failover priority is 0");
        }

        if (maxLag is { } limit && LagBehindRecorded(candidate, lease) is { } lag && lag > limit)
        {
            reasons.Add(
                $"it lacks {lag} transactions of the position the primary last recorded, more than --max-lag-on-failover {limit} (to fail over anyway, remove the Lease annotation {LeaseAnnotations.Position})"
            );
        }

        if (lease.Paused)
        {
            reasons.Add("failover is paused");
        }

        return reasons;
    }

    /// <summary>
    /// How many transactions of the position the primary last recorded in <paramref name="lease"/>
    /// <paramref name="candidate"/> lacks; null when none is recorded, its own position is unknown,
    /// or the two cannot be compared.
    /// </summary>
    public static ulong? LagBehindRecorded(CandidateStatus candidate, LeaseRecord lease)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(lease);
        if (
            candidate.Progress is not { } progress
            || lease.Position?.ToProgress() is not { } recorded
            || (candidate.Position is { } own && own.Flavor != lease.Position.Flavor)
        )
        {
            return null;
        }

        try
        {
            return progress.CountMissing(recorded);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="self"/> should race: it is eligible and no eligible peer is ahead of
    /// it, has diverged from it, or ties with it and is preferred (higher priority, then lower
    /// ordinal). Peers that did not answer are not in <paramref name="peers"/>; the holder of the
    /// expiring Lease is not a candidate and is skipped.
    /// </summary>
    public static RaceDecision ShouldRace(
        CandidateStatus self,
        IReadOnlyList<CandidateStatus> peers,
        LeaseRecord lease,
        ulong? maxLag = null
    )
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(lease);
        var reasons = Ineligibility(self, lease, maxLag);
        if (reasons.Count > 0)
        {
            return RaceDecision.No("not eligible: " + string.Join(", ", reasons));
        }

        // The holder whose Lease expired is no candidate: it is the one being replaced.
        foreach (var peer in peers.Where(p => p.Name != self.Name && p.Name != lease.Holder))
        {
            if (Ineligibility(peer, lease, maxLag).Count > 0)
            {
                continue;
            }

            switch (GtidProgress.Compare(self.Progress!, peer.Progress!))
            {
                case ProgressOrder.Behind:
                    return RaceDecision.No($"{peer.Name} is ahead ({peer.Progress})");
                case ProgressOrder.Diverged:
                    return RaceDecision.No(
                        $"diverged from {peer.Name} ({self.Progress} vs {peer.Progress}): promoting either loses the other's transactions; an operator must choose"
                    );
                case ProgressOrder.Same when Preferred(peer, self):
                    return RaceDecision.No($"{peer.Name} is as far and preferred");
            }
        }

        return RaceDecision.Yes;
    }

    /// <summary>
    /// The eligible pod to hand the Lease to after winning it: the most advanced, or null when
    /// <paramref name="self"/> is (or no peer is comparable and ahead).
    /// </summary>
    public static CandidateStatus? BetterPeer(
        CandidateStatus self,
        IReadOnlyList<CandidateStatus> peers,
        LeaseRecord lease,
        ulong? maxLag = null
    )
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(lease);
        if (self.Progress is null)
        {
            // Its own mysqld does not answer: nothing to compare; the holder's start timeout decides.
            return null;
        }

        // The winner's term is current now; a peer that followed the term before qualifies.
        var best = MostAdvanced(
            peers.Where(p =>
                p.Name != self.Name
                && Ineligibility(p, lease with { Term = p.FollowedTerm }, maxLag).Count == 0
            ),
            self
        );
        return ReferenceEquals(best, self) ? null : best;
    }

    /// <summary>
    /// A switchover to the best replica: the most advanced eligible peer, the first of equals by
    /// priority (highest first), then ordinal; null when none is eligible.
    /// </summary>
    public static CandidateStatus? SwitchoverTarget(
        IReadOnlyList<CandidateStatus> peers,
        LeaseRecord lease
    )
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(lease);
        return MostAdvanced(
            peers
                .Where(p => Ineligibility(p, lease).Count == 0)
                .OrderByDescending(p => p.Priority)
                .ThenBy(p => p.Ordinal),
            null
        );
    }

    /// <summary>
    /// The one ranking of candidates: starting from <paramref name="start"/>, each later candidate
    /// strictly ahead of the best so far replaces it, so an equal one never does. Every candidate
    /// must have a known position.
    /// </summary>
    private static CandidateStatus? MostAdvanced(
        IEnumerable<CandidateStatus> candidates,
        CandidateStatus? start
    ) =>
        candidates.Aggregate(
            start,
            (best, c) =>
                best is null
                || GtidProgress.Compare(c.Progress!, best.Progress!) == ProgressOrder.Ahead
                    ? c
                    : best
        );

    /// <summary>
    /// The term whose primary a candidate must have followed: the current one, unless its holder
    /// never promoted (no fork point recorded: it was lost between winning and promoting, and
    /// nobody could follow it); then the latest term that had a primary.
    /// </summary>
    private static long LastPrimaryTerm(LeaseRecord lease)
    {
        var promoted = lease.History.Where(h => h.Term <= lease.Term).Select(h => h.Term).ToList();
        return promoted.Count == 0 || promoted.Contains(lease.Term) ? lease.Term : promoted.Max();
    }

    private static bool Preferred(CandidateStatus a, CandidateStatus b) =>
        a.Priority != b.Priority ? a.Priority > b.Priority : a.Ordinal < b.Ordinal;
}

/// <summary>Whether to race, and why not.</summary>
public sealed record RaceDecision(bool Race, string Reason)
{
    public static RaceDecision Yes { get; } = new(true, "no eligible peer is ahead");

    public static RaceDecision No(string reason) => new(false, reason);
}
