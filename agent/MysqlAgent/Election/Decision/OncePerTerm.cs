namespace MysqlAgent.Election;

/// <summary>What a pod does at most once in a term; <see cref="ElectionMemory.Done"/> keeps the term each was last done in.</summary>
public enum OncePerTerm
{
    /// <summary>The new holder took the primary label off the pods that held the Lease before it (layer 3).</summary>
    LabelsMoved,

    /// <summary>A follower that saw a new holder stopped fetching from the old primary (layer 2).</summary>
    FetchStopped,

    /// <summary>The new holder fenced the last primary's mysqld from outside.</summary>
    LastPrimaryFenced,

    /// <summary>The promotion was counted as a failover (mysql_agent_failovers_total).</summary>
    FailoverCounted,
}
