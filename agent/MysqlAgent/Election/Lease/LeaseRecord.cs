namespace MysqlAgent.Election;

/// <summary>
/// What the agents agree on through the Lease <c>&lt;sts&gt;-primary</c>: who holds it, the term, and
/// the annotations that only the holder writes (history) or that an operator writes (switchover,
/// pause).
/// </summary>
/// <param name="Holder">The holder's pod name; empty when nobody holds it (released).</param>
/// <param name="Term">
/// <c>leaseTransitions</c>: grows by one at each change of holder and never shrinks, so every
/// fencing step can be tagged with it.
/// </param>
/// <param name="RenewedAt">
/// Written by the holder at each renewal so that every renewal changes the record (Kubernetes keeps
/// the resourceVersion of a no-op update). For people reading the Lease only: expiry is never
/// judged from it, because the clocks of two nodes differ.
/// </param>
/// <param name="History">The last terms, oldest first, with the GTID position at which each began.</param>
/// <param name="Switchover">A pending planned switchover, or null.</param>
/// <param name="Paused">No automatic failover while set; a switchover is still allowed.</param>
public sealed record LeaseRecord(
    string Holder,
    long Term,
    DateTimeOffset RenewedAt,
    IReadOnlyList<TermStart> History,
    SwitchoverRequest? Switchover,
    bool Paused
)
{
    /// <summary>How many terms the history keeps (the record must stay small: it is read every 2 s).</summary>
    public const int HistoryLimit = 10;

    public bool IsHeld => Holder.Length > 0;

    /// <summary>
    /// The position the holder last recorded while it took writes (at each renewal); null until a
    /// primary has recorded one, or after an operator removed it to allow a failover beyond
    /// <c>--max-lag-on-failover</c>.
    /// </summary>
    public RecordedPosition? Position { get; init; }

    /// <summary>The history with <paramref name="start"/> appended, trimmed to <see cref="HistoryLimit"/>.</summary>
    public LeaseRecord WithTermStart(TermStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var history = History.Where(h => h.Term != start.Term).Append(start).OrderBy(h => h.Term);
        return this with { History = history.TakeLast(HistoryLimit).ToArray() };
    }

    /// <summary>The fork point of the first term after <paramref name="term"/>, or null if unknown.</summary>
    public TermStart? FirstTermAfter(long term) =>
        History.Where(h => h.Term > term).OrderBy(h => h.Term).FirstOrDefault();

    public bool Equals(LeaseRecord? other) =>
        other is not null
        && Holder == other.Holder
        && Term == other.Term
        && RenewedAt == other.RenewedAt
        && History.SequenceEqual(other.History)
        && Switchover == other.Switchover
        && Paused == other.Paused
        && Position == other.Position;

    public override int GetHashCode() => HashCode.Combine(Holder, Term, RenewedAt, Paused);
}

/// <summary>
/// The start of one term: its holder and the GTID position the new primary had when it became
/// writable (the fork point). Text in the server's own spelling: a MySQL GTID set or a MariaDB
/// GTID position.
/// </summary>
public sealed record TermStart(long Term, string Holder, string ForkPosition);

/// <summary>A planned switchover: to a named pod, or to the best replica when <paramref name="To"/> is null; only valid in <paramref name="Term"/>.</summary>
public sealed record SwitchoverRequest(string? To, long Term);
