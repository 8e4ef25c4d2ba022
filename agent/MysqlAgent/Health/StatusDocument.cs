using System.Text.Json.Serialization;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Health;

/// <summary>
/// The body of <c>/status</c>, for humans and peers. The clone's donor fallback reads
/// <see cref="Ready"/>, <see cref="Role"/> and <see cref="LagSeconds"/>: keep those names.
/// </summary>
public sealed record StatusDocument
{
    public required string PodName { get; init; }

    /// <summary><c>primary</c> or <c>replica</c>.</summary>
    public required string Role { get; init; }
    public required bool Ready { get; init; }
    public required string ReadyReason { get; init; }
    public required uint? ServerId { get; init; }
    public required string? Flavor { get; init; }
    public required string? Version { get; init; }
    public required bool MysqldUp { get; init; }
    public required bool? ReadOnly { get; init; }
    public required string? Gtid { get; init; }
    public required string? BinlogFile { get; init; }
    public required long? BinlogPosition { get; init; }
    public required long? LagSeconds { get; init; }
    public required bool IoThreadRunning { get; init; }
    public required bool SqlThreadRunning { get; init; }
    public required int LastErrorNumber { get; init; }
    public required string? LastError { get; init; }
    public required ReplicationSetupDocument ReplicationSetup { get; init; }
    public required int BackupsInProgress { get; init; }
    public required DateTimeOffset CheckedAt { get; init; }

    /// <summary>Age of the newest heartbeat applied here (replica only); null when unknown.</summary>
    public double? StalenessSeconds { get; init; }

    /// <summary>How long the IO thread has been connecting to its source without success; null while it runs.</summary>
    public double? SourceUnreachableSeconds { get; init; }

    /// <summary>The Lease's term (election only; absent with <c>--lease-store none</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Term { get; init; }

    /// <summary>The Lease's holder, empty when released (election only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Holder { get; init; }

    /// <summary>
    /// This pod's backups to storage (running, last success, last failure); the scheduled backups'
    /// primary reads <c>backup.running.tick</c> of every pod.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Archive.Schedule.BackupStatusDocument? Backup { get; init; }

    /// <summary>This pod's report as a candidate, which peers read (election only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CandidateDocument? Candidate { get; init; }

    public static StatusDocument From(
        NodeSnapshot node,
        ReplicationSetupSnapshot setup,
        ReadinessVerdict verdict,
        string podName,
        string role,
        int backupsInProgress
    )
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(verdict);
        var replica = node.Replica;
        return new StatusDocument
        {
            PodName = podName,
            Role = role,
            Ready = verdict.Ready,
            ReadyReason = verdict.Reason,
            ServerId = node.ServerId,
            Flavor = node.Flavor,
            Version = node.Version,
            MysqldUp = node.MysqldUp,
            ReadOnly = node.ReadOnly is null
                ? null
                : node.ReadOnly == true || node.SuperReadOnly == true,
            Gtid = node.Gtid,
            BinlogFile = node.BinlogFile,
            BinlogPosition = node.BinlogPosition,
            LagSeconds = replica?.LagSeconds,
            IoThreadRunning = replica?.IoThreadRunning ?? false,
            SqlThreadRunning = replica?.SqlThreadRunning ?? false,
            LastErrorNumber = replica?.LastErrorNumber ?? 0,
            LastError = replica is { LastErrorNumber: not 0 } ? replica.LastError : null,
            ReplicationSetup = new ReplicationSetupDocument(
                setup.StateName,
                setup.Reason.Length == 0 ? null : setup.Reason,
                setup.Since
            ),
            BackupsInProgress = backupsInProgress,
            CheckedAt = node.CheckedAt,
            StalenessSeconds = node.StalenessSeconds is { } stale ? Math.Round(stale, 3) : null,
            SourceUnreachableSeconds = node.SourceUnreachableSeconds is { } unreachable
                ? Math.Round(unreachable, 1)
                : null,
        };
    }
}
