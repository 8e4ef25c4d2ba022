namespace MysqlAgent.Health;

/// <summary>
/// What the local mysqld looked like at <see cref="CheckedAt"/>. A server that does not answer is a
/// snapshot too (<see cref="MysqldUp"/> false, <see cref="Error"/> says why), never an exception.
/// </summary>
public sealed record NodeSnapshot
{
    public required DateTimeOffset CheckedAt { get; init; }
    public required bool MysqldUp { get; init; }

    /// <summary>Why mysqld could not be inspected (one line); null when it answered.</summary>
    public string? Error { get; init; }

    /// <summary><c>mysql</c> or <c>mariadb</c>; null until mysqld answered.</summary>
    public string? Flavor { get; init; }

    /// <summary>major.minor.patch, e.g. <c>10.11.19</c>.</summary>
    public string? Version { get; init; }

    /// <summary>The full <c>VERSION()</c> text, e.g. <c>10.11.19-MariaDB-0+deb12u1-log</c>.</summary>
    public string? VersionText { get; init; }
    public uint? ServerId { get; init; }
    public bool? ReadOnly { get; init; }

    /// <summary>Null where the server has no <c>super_read_only</c> (MariaDB).</summary>
    public bool? SuperReadOnly { get; init; }

    /// <summary>MySQL's <c>gtid_executed</c>.</summary>
    public string? GtidExecuted { get; init; }

    /// <summary>MariaDB's <c>gtid_current_pos</c>.</summary>
    public string? GtidCurrentPos { get; init; }

    /// <summary>MariaDB's <c>gtid_slave_pos</c>.</summary>
    public string? GtidSlavePos { get; init; }

    /// <summary>Null when binary logging is off.</summary>
    public string? BinlogFile { get; init; }
    public long? BinlogPosition { get; init; }

    /// <summary>Null when no replication source is configured.</summary>
    public ReplicaSnapshot? Replica { get; init; }

    /// <summary>
    /// The newest heartbeat row this server has applied (written by the primary's agent, replicated
    /// like any other row); null on a primary, with heartbeats off, or before the first one arrived.
    /// </summary>
    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>
    /// Since when the IO thread has been seen connecting to its source without success; null while it
    /// runs. Set by the watcher, which sees successive snapshots.
    /// </summary>
    public DateTimeOffset? SourceUnreachableSince { get; init; }

    /// <summary>
    /// <see cref="CheckedAt"/> minus <see cref="HeartbeatAt"/>: how old this replica's data is, in
    /// seconds, whatever the IO thread is doing. Assumes the primary's and this node's clocks are
    /// synchronised (NTP), as pt-heartbeat does; a negative difference (clock skew) counts as 0.
    /// </summary>
    public double? StalenessSeconds =>
        HeartbeatAt is { } beat ? Math.Max(0, (CheckedAt - beat).TotalSeconds) : null;

    /// <summary>How long the IO thread has been connecting without success; null while it runs.</summary>
    public double? SourceUnreachableSeconds =>
        SourceUnreachableSince is { } since ? Math.Max(0, (CheckedAt - since).TotalSeconds) : null;

    /// <summary>The GTID state worth showing: <c>gtid_executed</c> on MySQL, <c>gtid_current_pos</c> on MariaDB.</summary>
    public string? Gtid => GtidExecuted ?? GtidCurrentPos;

    public static NodeSnapshot Down(DateTimeOffset checkedAt, string error) =>
        new()
        {
            CheckedAt = checkedAt,
            MysqldUp = false,
            Error = error,
        };
}
