using MysqlLocal.State;

namespace MysqlLocal.Status;

/// <summary>One pod in <c>status --json</c>: the kubelet's view joined with the agent's.</summary>
public sealed record PodStatusRow
{
    public required string Name { get; init; }
    public required int Ordinal { get; init; }

    /// <summary>Goes up each time the pod is deleted and created again.</summary>
    public required int Generation { get; init; }
    public required string Phase { get; init; }
    public required bool Ready { get; init; }
    public string? ReadyReason { get; init; }
    public string? Role { get; init; }
    public uint? ServerId { get; init; }
    public long? LagSeconds { get; init; }
    public string? Gtid { get; init; }
    public string? ReplicationSetup { get; init; }

    /// <summary>With failover: the term and holder as this pod's agent sees them (an isolated or frozen one lags behind the Lease).</summary>
    public long? Term { get; init; }
    public string? Holder { get; init; }

    /// <summary>Stopped by <c>freeze</c>.</summary>
    public bool Frozen { get; init; }

    /// <summary>Cut off from the Lease store by <c>isolate</c>.</summary>
    public bool Isolated { get; init; }
    public required string Host { get; init; }
    public required PodPorts Ports { get; init; }
    public required IReadOnlyList<ContainerRecord> Containers { get; init; }
}
