namespace MysqlAgent.Election;

/// <summary>
/// What an action reports once done; <see cref="ElectionMemory.After"/> turns it into the next
/// memory and <see cref="ElectionDecision.FollowUp"/> into the actions it calls for. A closed set.
/// </summary>
public abstract record ActionOutcome
{
    private ActionOutcome() { }

    /// <summary>Nothing to remember (logged, or tried again at the next turn).</summary>
    public sealed record None : ActionOutcome
    {
        public static readonly None Instance = new();
    }

    /// <summary>The role the pod reports was set.</summary>
    public sealed record RoleSet(bool Primary) : ActionOutcome;

    /// <summary>The self-fence ran; <paramref name="ReadOnly"/> when read-only was set within the budget.</summary>
    public sealed record Fenced(bool ReadOnly) : ActionOutcome;

    /// <summary>The old holders' labels were moved in <paramref name="Term"/>; <paramref name="All"/> when none failed.</summary>
    public sealed record LabelsMoved(long Term, bool All) : ActionOutcome;

    /// <summary>The mysqld was promoted in <paramref name="Term"/>; its fork point is recorded.</summary>
    public sealed record Promoted(long Term, string ForkPoint) : ActionOutcome;

    /// <summary>The semi-sync state the promoted primary has now.</summary>
    public sealed record SemiSyncEnsured(SemiSyncSourceState? State) : ActionOutcome;

    /// <summary>The mysqld replicates from the primary of <paramref name="Term"/>.</summary>
    public sealed record Followed(long Term) : ActionOutcome;

    /// <summary>The mysqld holds <paramref name="Gtids"/> beyond the fork point of <paramref name="ForkTerm"/>; nothing was changed.</summary>
    public sealed record FoundErrant(
        string Gtids,
        int Count,
        string ForkPoint,
        long ForkTerm,
        int HolderOrdinal
    ) : ActionOutcome;

    /// <summary>The re-clone request is written and this pod's deletion asked for.</summary>
    public sealed record RecloneAsked : ActionOutcome
    {
        public static readonly RecloneAsked Instance = new();
    }
}
