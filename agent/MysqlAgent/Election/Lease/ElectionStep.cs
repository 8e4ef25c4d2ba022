namespace MysqlAgent.Election;

public enum ElectorRole
{
    Follower,
    Leader,
}

/// <summary>What one step of the elector did or saw; the serve loop acts on it.</summary>
public enum ElectionEvent
{
    /// <summary>No Lease exists and this agent may not create it: wait.</summary>
    WaitingForLease,

    /// <summary>This agent created the Lease (term 1): it is the first primary.</summary>
    Created,

    /// <summary>Another pod holds a valid Lease.</summary>
    Following,

    /// <summary>The Lease expired (or was released) but this agent does not race; see the detail.</summary>
    NotRacing,

    /// <summary>The Lease expired but failover is paused.</summary>
    Paused,

    /// <summary>This agent took the Lease in a new term, or was handed it: fence the others, then promote.</summary>
    Acquired,

    /// <summary>The record still names this agent (a restarted agent): it holds the Lease again, same term.</summary>
    Resumed,

    /// <summary>Another agent won the same race (a conflict): follow it.</summary>
    LostRace,

    /// <summary>The holder renewed.</summary>
    Renewed,

    /// <summary>The holder could not renew, but is still inside the renew deadline.</summary>
    RenewFailed,

    /// <summary>
    /// The holder lost the Lease (no renewal within the renew deadline, or another holder seen):
    /// make mysqld read-only and kill client connections within the fence budget, now.
    /// </summary>
    FenceNow,

    /// <summary>The holder handed the Lease to another pod (switchover, or a more advanced replica).</summary>
    HandedOver,

    /// <summary>The holder released the Lease (its mysqld would not start): anyone eligible may race now.</summary>
    Released,

    /// <summary>The store did not answer; nothing changed.</summary>
    StoreUnavailable,
}

/// <summary>How this pod came to hold the Lease, on the step that made it the holder.</summary>
public enum LeaseAcquisition
{
    /// <summary>No Lease existed: this pod created it in term 1.</summary>
    Created,

    /// <summary>It won the race for an expired or released Lease, in a new term.</summary>
    Won,

    /// <summary>The holder handed the Lease to this pod (a switchover, or a race winner less advanced).</summary>
    HandedOver,

    /// <summary>The record still named this pod (a restarted agent): the same term.</summary>
    Resumed,
}

/// <param name="Role">The role after this step.</param>
/// <param name="Event">What happened.</param>
/// <param name="Lease">The latest record seen (null before the first read).</param>
/// <param name="HolderChanged">The holder differs from the one seen before (repoint replication).</param>
/// <param name="Detail">Why, for the log line; never read by a decision.</param>
public sealed record ElectionStep(
    ElectorRole Role,
    ElectionEvent Event,
    LeaseRecord? Lease,
    bool HolderChanged,
    string? Detail
)
{
    /// <summary>How the Lease was acquired, on a Created, Acquired or Resumed step; null otherwise.</summary>
    public LeaseAcquisition? Acquisition { get; init; }

    public bool FenceNow => Event == ElectionEvent.FenceNow;
}
