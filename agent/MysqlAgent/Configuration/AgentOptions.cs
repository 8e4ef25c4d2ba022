using Microsoft.Extensions.Logging;
using MysqlAgent.Identity;

namespace MysqlAgent.Configuration;

/// <summary>The resolved, validated configuration of one mysql-agent process.</summary>
public sealed record AgentOptions
{
    public required PodIdentity Pod { get; init; }
    public required string Service { get; init; }
    public required uint ServerId { get; init; }

    public required string DataDir { get; init; }

    /// <summary>Backup storage (<c>file:/path</c> or <c>s3://bucket/prefix</c>) for backup and backups; null when not given.</summary>
    public string? StorageTarget { get; init; }
    public string? S3Endpoint { get; init; }
    public string S3Region { get; init; } = "us-east-1";
    public bool S3PathStyle { get; init; }
    public string? S3CaFile { get; init; }
    public string? S3AccessKeyIdFile { get; init; }
    public string? S3SecretAccessKeyFile { get; init; }

    /// <summary>restore: the storage (<c>--from</c>), the backup id (<c>--backup</c>) and <c>--latest</c>.</summary>
    public string? RestoreFrom { get; init; }
    public string? RestoreBackupId { get; init; }
    public bool RestoreLatest { get; init; }

    /// <summary>restore: replay the archived binlogs up to this time (<c>--to-time</c>) or GTID (<c>--to-gtid</c>).</summary>
    public DateTimeOffset? RestoreToTime { get; init; }
    public string? RestoreToGtid { get; init; }

    /// <summary>restore: the server, binlog decoder and client of the replay; null = the flavour's default on PATH.</summary>
    public string? MysqldPath { get; init; }
    public string? MysqlbinlogPath { get; init; }
    public string? MysqlClientPath { get; init; }

    /// <summary>prune: keep the newest <c>--keep-backups</c>, and every backup younger than <c>--keep-days</c>; <c>--plan-only</c> deletes nothing.</summary>
    public int KeepBackups { get; init; } = 7;
    public TimeSpan KeepAge { get; init; } = TimeSpan.FromDays(7);
    public bool PlanOnly { get; init; }

    /// <summary>serve with <c>--target</c>: force a binlog rotation this often when it holds unarchived transactions; zero = never.</summary>
    public TimeSpan BinlogArchiveInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>serve: <c>--backup-schedule</c> in <c>--backup-schedule-time-zone</c>; null = no scheduled backups.</summary>
    public Archive.Schedule.BackupSchedule? BackupSchedule { get; init; }
    public required Endpoint LocalMysql { get; init; }
    public required string AdminUser { get; init; }
    public Secret? AdminPassword { get; init; }
    public required string ReplicationUser { get; init; }
    public Secret? ReplicationPassword { get; init; }
    public required string BackupUser { get; init; }
    public Secret? BackupPassword { get; init; }

    public Secret? BackupToken { get; init; }
    public required int BackupPort { get; init; }
    public required int MaxConcurrentBackups { get; init; }
    public required BackupToolKind BackupTool { get; init; }
    public string? BackupToolPath { get; init; }
    public string? StreamToolPath { get; init; }
    public required int LegacyStreamPort { get; init; }

    /// <summary><c>serve --primary-proxy-port</c>: the port of the primary proxy; 0 = off.</summary>
    public int PrimaryProxyPort { get; init; }

    /// <summary>The donor as named (before <see cref="ConnectTo"/>); null on ordinal 0.</summary>
    public Endpoint? Donor { get; init; }
    public required TimeSpan CloneDeadline { get; init; }

    /// <summary>The replication source as named (before <see cref="ConnectTo"/>).</summary>
    public required Endpoint Primary { get; init; }
    public required int ConnectRetrySeconds { get; init; }
    public required ReplicationMode ReplicationMode { get; init; }
    public required TimeSpan MaxLag { get; init; }

    /// <summary>How often the primary writes its heartbeat row; <see cref="TimeSpan.Zero"/> turns heartbeats off.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    public required int HttpPort { get; init; }
    public required string BindAddress { get; init; }
    public required LogFormat LogFormat { get; init; }
    public required LogLevel LogLevel { get; init; }
    public required ConnectToMap ConnectTo { get; init; }
    public bool DryRun { get; init; }

    /// <summary>The set this agent belongs to (<c>--set-id</c>); empty when not given.</summary>
    public string SetId { get; init; } = "";

    /// <summary>Compression of backup streams: what the donor sends by default, what a clone asks for.</summary>
    public Backup.Protocol.StreamCompression StreamCompression { get; init; } =
        Backup.Protocol.StreamCompression.Default;

    /// <summary>The TLS files (<c>--tls-*-file</c>); null when TLS is off.</summary>
    public Tls.TlsFiles? Tls { get; init; }

    /// <summary>Where the agents elect the primary (<c>--lease-store</c>); none = ordinal 0 is the primary.</summary>
    public LeaseStoreChoice LeaseStore { get; init; } = LeaseStoreChoice.None;

    /// <summary>The election's timings (validated at start-up).</summary>
    public Election.ElectionTimings ElectionTimings { get; init; } =
        Election.ElectionTimings.Default;

    /// <summary>How long the holder keeps the Lease while its mysqld is down before it releases it.</summary>
    public TimeSpan PrimaryStartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>--durability</c>: with a lease store, whether the primary turns semi-synchronous
    /// replication on (the default) or stays asynchronous.
    /// </summary>
    public bool SemiSync { get; init; } = true;

    /// <summary>
    /// <c>--max-lag-on-failover</c>: the most transactions of the primary's last recorded position a
    /// replica may lack and still take over.
    /// </summary>
    public ulong MaxLagOnFailover { get; init; } = 1000;

    /// <summary><c>--reclone-errant</c> (on by default): an errant pod asks for a fresh clone and deletes its own pod.</summary>
    public bool RecloneErrant { get; init; } = true;

    /// <summary><c>--keep-errant-datadirs</c>: how many datadirs moved aside by re-clones the clone keeps.</summary>
    public int KeepErrantDataDirs { get; init; } = 1;

    /// <summary><c>switchover --to</c>: the pod to hand the primary role to; null = the most advanced replica.</summary>
    public string? SwitchoverTo { get; init; }

    /// <summary>A peer's stable name on the backup port, e.g. <c>mysql-2.mysql:3307</c>.</summary>
    public Endpoint PeerBackupEndpoint(int ordinal) =>
        new(Pod.PeerHost(ordinal, Service), BackupPort);

    /// <summary>A peer's mysqld as reached (after <see cref="ConnectTo"/>), e.g. <c>mysql-2.mysql:3306</c>: where the primary proxy forwards.</summary>
    public Endpoint PeerMysqlEndpoint(int ordinal) =>
        ConnectTo.Resolve(new Endpoint(Pod.PeerHost(ordinal, Service), Primary.Port));

    /// <summary>A peer's stable name on the HTTP port, e.g. <c>mysql-2.mysql:8080</c>.</summary>
    public Endpoint PeerHttpEndpoint(int ordinal) => new(Pod.PeerHost(ordinal, Service), HttpPort);
}
