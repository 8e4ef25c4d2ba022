namespace MysqlLocal.Status;

/// <summary><c>status --json</c>: the set, its failover state when it has one, and each pod.</summary>
public sealed record SetStatus
{
    public required string SetId { get; init; }
    public required string StateDir { get; init; }
    public required int BasePort { get; init; }
    public required bool KubeletRunning { get; init; }

    /// <summary>The mysql-primary port (base+5): writes.</summary>
    public required int PrimaryPort { get; init; }

    /// <summary>The mysql-read port (base+3): reads, over the ready pods.</summary>
    public required int ReadPort { get; init; }

    /// <summary>Null for a set made with <c>--fixed-primary</c> (its primary is mysql-0).</summary>
    public FailoverStatus? Failover { get; init; }
    public required IReadOnlyList<PodStatusRow> Pods { get; init; }
}

/// <summary>The Lease as its file says now, and where the <c>mysql-primary</c> port sends a new connection.</summary>
public sealed record FailoverStatus
{
    public required int PrimaryPort { get; init; }

    /// <summary>Null while no Lease exists; empty when it was released.</summary>
    public string? Holder { get; init; }
    public long? Term { get; init; }
    public bool Paused { get; init; }

    /// <summary>"to mysql-1 (127.0.0.1:23316, term 2)", or "refusing: …" and why.</summary>
    public required string Route { get; init; }
}
