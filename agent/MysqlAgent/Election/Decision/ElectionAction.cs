using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>
/// One thing a turn does, as data: <see cref="ElectionDecision"/> orders them in a plan and
/// <see cref="ElectionActor"/> carries each out. A closed set.
/// </summary>
public abstract record ElectionAction
{
    private ElectionAction() { }

    /// <summary>
    /// The role this pod reports (readiness, <c>/status</c>, the heartbeat, the label): set where it
    /// stands in the plan, so that "not primary" comes before a fence and no heartbeat starts after it.
    /// </summary>
    public sealed record SetPrimary(bool Primary) : ElectionAction;

    /// <summary>Read-only and kill client connections, within the fence budget.</summary>
    /// <param name="Why">For the log.</param>
    /// <param name="WritableFollower">A follower found writable (logged as such first).</param>
    public sealed record FenceSelf(string Why, bool WritableFollower) : ElectionAction;

    /// <summary>The race winner hands the Lease to a more advanced peer.</summary>
    public sealed record HandOver(CandidateStatus To, CandidateStatus Self) : ElectionAction;

    /// <summary>The holder whose mysqld stayed down past the start timeout releases the Lease.</summary>
    public sealed record Release(long Term, TimeSpan DownFor) : ElectionAction;

    /// <summary>A switchover request that cannot be carried out is dropped, saying why.</summary>
    public sealed record RefuseSwitchover(string Why) : ElectionAction;

    /// <summary>The planned switchover to <paramref name="Target"/> (fence, catch-up, hand-over).</summary>
    public sealed record SwitchOver(LeaseRecord Lease, CandidateStatus Target) : ElectionAction;

    /// <summary>The promoted primary turns semi-sync on once a replica would acknowledge.</summary>
    public sealed record EnsureSemiSync(long Term) : ElectionAction;

    /// <summary>Layer 3: the primary label comes off the pods that held the Lease before <paramref name="Term"/>.</summary>
    public sealed record MoveLabels(long Term, IReadOnlyList<string> OldHolders) : ElectionAction;

    /// <summary>The last primary's mysqld is fenced from here, and the others stop fetching from it (in the background).</summary>
    public sealed record FenceLastPrimary(
        long Term,
        string Pod,
        int Ordinal,
        IReadOnlyList<int> Others
    ) : ElectionAction;

    /// <summary>Promote the local mysqld in <paramref name="Term"/> and record its fork point.</summary>
    public sealed record Promote(long Term, bool ForkPointRecorded) : ElectionAction;

    /// <summary>Layer 2 from a follower's side: stop fetching from the old primary, now.</summary>
    public sealed record StopFetching(LeaseRecord Lease, Endpoint OldSource) : ElectionAction;

    /// <summary>Point the mysqld at the holder, after the errant check against <paramref name="Fork"/>.</summary>
    public sealed record Follow(
        string Holder,
        int HolderOrdinal,
        long Term,
        TermStart Fork,
        Endpoint Source
    ) : ElectionAction;

    /// <summary>Write the re-clone request (the primary as donor) and delete this pod.</summary>
    public sealed record RequestReclone(int DonorOrdinal, long Term, string Gtids) : ElectionAction;
}
