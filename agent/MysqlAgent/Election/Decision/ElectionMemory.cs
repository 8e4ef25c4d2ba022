using System.Collections.Immutable;

namespace MysqlAgent.Election;

/// <summary>
/// What the election loop remembers between turns, as one immutable value: the terms it took part
/// in, what it did once per term, its errant state, whether it promoted, the switchover request it
/// saw, the semi-sync state, since when its mysqld has been down, and the local server as last read.
/// <see cref="ElectionDecision"/> reads it; the turn's decision and each action's outcome
/// (<see cref="After"/>) make the next one.
/// </summary>
public sealed record ElectionMemory
{
    public static readonly ElectionMemory Initial = new();

    /// <summary>The local mysqld as last read (the lost-Lease fence between two turns acts on it).</summary>
    public LocalServerState Local { get; init; } = LocalServerState.Down("not read yet");

    public TermMemory Terms { get; init; } = TermMemory.None;

    /// <summary>The term each once-per-term action was last done in.</summary>
    public ImmutableDictionary<OncePerTerm, long> Done { get; init; } =
        ImmutableDictionary<OncePerTerm, long>.Empty;

    public ErrantMemory Errant { get; init; } = ErrantMemory.None;

    /// <summary>This pod's mysqld is promoted in the held term: it is the primary while the Lease is fresh.</summary>
    public bool Promoted { get; init; }

    /// <summary>The held term was handed to this pod by a primary that had promoted (a switchover: no failover).</summary>
    public bool HandedToMe { get; init; }

    /// <summary>The switchover request seen at the previous step (it is acted on at the second step that sees it).</summary>
    public SwitchoverRequest? SwitchoverSeen { get; init; }

    /// <summary>The promoted primary's semi-sync state as last ensured; null until checked in this promotion.</summary>
    public SemiSyncSourceState? SemiSync { get; init; }

    /// <summary>When (a timestamp of the turn's clock) the holder's mysqld was first seen down; null while it answers.</summary>
    public long? DownSince { get; init; }

    public bool DoneIn(OncePerTerm what, long term) =>
        Done.TryGetValue(what, out var done) && done == term;

    public ElectionMemory Mark(OncePerTerm what, long term) =>
        this with
        {
            Done = Done.SetItem(what, term),
        };

    /// <summary>Primary or not; either way the semi-sync state is read again (a promotion and a rejoin turn it off).</summary>
    public ElectionMemory WithPromoted(bool promoted) =>
        this with
        {
            Promoted = promoted,
            SemiSync = null,
        };

    /// <summary>The memory once <paramref name="outcome"/> happened.</summary>
    public ElectionMemory After(ActionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome switch
        {
            ActionOutcome.RoleSet r => WithPromoted(r.Primary),
            ActionOutcome.Fenced { ReadOnly: true } => this with
            {
                Local = Local with { Writable = false },
            },
            ActionOutcome.LabelsMoved { All: true } l => Mark(OncePerTerm.LabelsMoved, l.Term),
            ActionOutcome.Promoted p => PromotedIn(p.Term),
            ActionOutcome.SemiSyncEnsured s => this with { SemiSync = s.State },
            ActionOutcome.Followed f => this with
            {
                Terms = Terms with { Followed = f.Term },
                Errant = Errant.Cleared(),
            },
            ActionOutcome.FoundErrant e => this with
            {
                Errant = Errant with
                {
                    Gtids = e.Gtids,
                    Count = e.Count,
                    ForkPoint = e.ForkPoint,
                    ForkTerm = e.ForkTerm,
                },
            },
            ActionOutcome.RecloneAsked => this with
            {
                Errant = Errant with { RecloneRequested = true },
            },
            _ => this,
        };
    }

    /// <summary>
    /// Promoted in <paramref name="term"/>: primary, following its own term, and counted as a
    /// failover once when it won the term in a race (a created Lease, a resumed one or a switchover's
    /// hand-over is no failover).
    /// </summary>
    private ElectionMemory PromotedIn(long term)
    {
        var promoted = WithPromoted(true) with
        {
            Terms = Terms with { Promoted = term, Followed = term },
        };
        return Terms.Acquired == term && !HandedToMe && !DoneIn(OncePerTerm.FailoverCounted, term)
            ? promoted.Mark(OncePerTerm.FailoverCounted, term)
            : promoted;
    }
}
