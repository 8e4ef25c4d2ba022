using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Election;

/// <summary>
/// What a pod reports about itself for the election (its own agent, or a peer's <c>/status</c>).
/// </summary>
/// <param name="Name">The pod name, as written in the Lease's holder.</param>
/// <param name="Ordinal">The StatefulSet ordinal: the last tie-break.</param>
/// <param name="MysqldUp">mysqld answers.</param>
/// <param name="Errant">Its GTIDs go beyond the fork point of the term after the one it held or followed.</param>
/// <param name="FollowedTerm">The term of the primary it last replicated from (or held).</param>
/// <param name="Progress">How far it has got; null when it could not be read.</param>
/// <param name="Priority">0 never races; higher wins a tie (Patroni's failover_priority).</param>
public sealed record CandidateStatus(
    string Name,
    int Ordinal,
    bool MysqldUp,
    bool Errant,
    long FollowedTerm,
    GtidProgress? Progress,
    int Priority = 1
)
{
    /// <summary>
    /// What it has applied, without its relay log: a switchover target has caught up only when this
    /// holds the primary's position (a received but unapplied transaction would hold its promotion
    /// back with writes paused). Null when unknown.
    /// </summary>
    public GtidProgress? Applied { get; init; }

    /// <summary>Its mysqld takes writes from clients: the primary, and no other pod when fencing works.</summary>
    public bool Writable { get; init; }

    /// <summary>Its executed position as the holder records it in the Lease; null when unknown.</summary>
    public RecordedPosition? Position { get; init; }
}
