namespace MysqlLocal.Status;

/// <summary>The fields of the agent's <c>/status</c> that the local set shows.</summary>
public sealed record AgentStatus
{
    public string? PodName { get; init; }
    public string? Role { get; init; }
    public bool Ready { get; init; }
    public string? ReadyReason { get; init; }
    public uint? ServerId { get; init; }
    public string? Version { get; init; }
    public bool MysqldUp { get; init; }
    public string? Gtid { get; init; }
    public string? BinlogFile { get; init; }
    public long? BinlogPosition { get; init; }
    public long? LagSeconds { get; init; }
    public bool IoThreadRunning { get; init; }
    public bool SqlThreadRunning { get; init; }
    public string? LastError { get; init; }
    public AgentSetupStatus? ReplicationSetup { get; init; }

    /// <summary>With failover: the term of the Lease as this agent last saw it.</summary>
    public long? Term { get; init; }

    /// <summary>With failover: the Lease's holder as this agent last saw it.</summary>
    public string? Holder { get; init; }
}
