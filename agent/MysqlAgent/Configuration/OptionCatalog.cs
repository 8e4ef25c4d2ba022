namespace MysqlAgent.Configuration;

/// <summary>
/// Every option the agent reads, in one table: the parser, <c>--help</c>, the resolved-configuration
/// log line and the manifest tests all use it, so a renamed option cannot drift from its docs.
/// </summary>
public static class OptionCatalog
{
    public static readonly IReadOnlyList<OptionSpec> All =
    [
        // Identity
        new(
            "hostname",
            "Pod name or FQDN; the ordinal is its trailing -<n>.",
            ExtraEnvironmentName: "HOSTNAME"
        ),
        new("service", "Headless service name: peers are <statefulset>-<n>.<service>.", "mysql"),
        new("server-id-offset", "server-id = offset + ordinal, as mysql-init writes it.", "100"),
        // Local server
        new(
            "data-dir",
            "The MySQL datadir (clone target; info files are read from it).",
            "/var/lib/mysql"
        ),
        new("mysql-host", "Address of the local mysqld.", "127.0.0.1"),
        new("mysql-port", "Port of the local mysqld.", "3306"),
        new("admin-user", "Local administrative user the agent connects as.", "root"),
        new(
            "admin-password",
            "Its password; environment only (a command line is readable by any process).",
            IsSecret: true
        ),
        new("admin-password-file", "File holding the admin password (mounted from a Secret)."),
        new("replication-user", "User replicas connect to the primary as.", "repl"),
        new(
            "replication-password",
            "Its password; environment only (a command line is readable by any process).",
            IsSecret: true
        ),
        new("replication-password-file", "File holding the replication password."),
        new("backup-user", "User the backup tool connects to the local server as.", "backup"),
        new(
            "backup-password",
            "Its password; environment only (a command line is readable by any process).",
            IsSecret: true
        ),
        new("backup-password-file", "File holding the backup password."),
        // Backups
        new(
            "backup-token",
            "Shared token that authorises backup streams; environment only.",
            IsSecret: true
        ),
        new("backup-token-file", "File holding the backup token (mounted from a Secret)."),
        new("backup-port", "Port serving backup streams to peers.", "3307"),
        new(
            "max-concurrent-backups",
            "Backups served at once; more get 429 with Retry-After.",
            "1"
        ),
        new("backup-tool", "auto (from the server's flavour), mariabackup or xtrabackup.", "auto"),
        new("backup-tool-path", "Path or name of the backup tool binary (default: by flavour)."),
        new("stream-tool-path", "Path or name of mbstream/xbstream (default: by flavour)."),
        new(
            "legacy-stream-port",
            "Plain-TCP raw xbstream port for the example's ncat clone; 0 = off. UNAUTHENTICATED.",
            "0"
        ),
        // Clone
        new(
            "donor",
            "Donor host[:port] for clone (default: the previous ordinal's <pod>.<service>:<backup-port>)."
        ),
        new("clone-deadline-seconds", "How long clone keeps retrying before it fails.", "600"),
        // Replication
        new("primary-host", "Replication source host (default: <statefulset>-0.<service>)."),
        new("primary-port", "Replication source port.", "3306"),
        new("connect-retry-seconds", "Replica's retry interval towards the source.", "10"),
        new("replication-mode", "auto, gtid or file-position.", "auto"),
        new("max-lag-seconds", "A replica further behind than this is not ready.", "30"),
        // HTTP and logs
        new("http-port", "Port of /metrics, /healthz, /readyz and /status.", "8080"),
        new("bind-address", "Address the agent's ports listen on.", "0.0.0.0"),
        new("log-format", "text (one line per event) or json.", "text"),
        new("log-level", "Trace, Debug, Information, Warning or Error.", "Information"),
        // Name mapping without DNS (local replica sets, tests)
        new(
            "connect-to",
            "HOST:PORT:HOST2:PORT2 — reach HOST:PORT at HOST2:PORT2 instead (repeatable; comma-separated in the environment).",
            IsRepeatable: true
        ),
        // Heartbeat (replica staleness)
        new(
            "heartbeat-interval",
            "Seconds between the primary's heartbeat rows, from which replicas measure staleness; 0 = off.",
            "1"
        ),
        new(
            "set-id",
            "The replica set's identity: sent in the X-Mysql-Agent-Set-Id header of every answer, and a donor's 401 naming another set is reported as such; empty = none."
        ),
        // TLS (cert-manager's Secret layout: tls.crt, tls.key, ca.crt)
        new(
            "tls-cert-file",
            "PEM certificate of this pod (tls.crt): the backup port serves HTTPS only; clone presents it to the donor."
        ),
        new("tls-key-file", "PEM private key of --tls-cert-file (tls.key)."),
        new(
            "tls-ca-file",
            "PEM CA (ca.crt) that signs every pod's certificate: clone and replication verify peers against it."
        ),
        new(
            "dry-run",
            "Parse and validate the configuration, print it without secrets, exit 0.",
            IsFlag: true
        ),
        // Clone speed (appended)
        new(
            "stream-compression",
            "Backup stream compression: none, lz4 or zstd[:level]. The donor's default; a clone asks the donor for its own.",
            "zstd"
        ),
        // Automatic failover (appended)
        new(
            "lease-store",
            "Where the agents elect the primary: none (ordinal 0 is the primary), file:<folder> (a folder shared by the pods) or kubernetes (the Lease <statefulset>-primary).",
            "none"
        ),
        new(
            "lease-duration-seconds",
            "How long peers wait, by their own clock, after the Lease last changed before they may take it.",
            "15"
        ),
        new(
            "renew-deadline-seconds",
            "How long the primary keeps trying to renew the Lease before it fences itself.",
            "10"
        ),
        new("retry-period-seconds", "Interval between two election steps.", "2"),
        new(
            "fence-budget-seconds",
            "How long self-fencing (read-only, kill client connections) may take.",
            "3"
        ),
        new(
            "primary-start-timeout-seconds",
            "How long the primary keeps the Lease while its mysqld is down before it releases it for a failover; a restart within it is no failover.",
            "10"
        ),
        new(
            "durability",
            "With a lease store: semi-sync (a commit is acknowledged only once a replica has it, from the first replica that acknowledges; no acknowledged write is lost at a failover) or async (commits never wait; a failover can lose the last ones).",
            "semi-sync"
        ),
        new(
            "max-lag-on-failover",
            "With a lease store: a replica lacking more than this many transactions of the position the primary last recorded in the Lease (at each renewal) does not take over when the primary is lost; with --durability async, the most a failover may lose. Remove the Lease annotation mysql-agent.io/position to fail over anyway.",
            "1000"
        ),
        new(
            "reclone-errant",
            "With a lease store: a pod found with errant transactions (an old primary's writes that the new primary lacks) asks for a fresh clone from the primary and deletes its own pod; the next pod's clone container moves the whole datadir aside (kept beside it as <datadir>.errant-<time>, see --keep-errant-datadirs) and clones. On by default; --reclone-errant false keeps the pod read-only and unready until an operator acts.",
            "true",
            IsFlag: true
        ),
        new(
            "keep-errant-datadirs",
            "clone: how many datadirs moved aside by re-clones to keep beside the datadir, the new one included; older ones beyond it are deleted, oldest first. 0 keeps none: the errant writes are then gone. With 1 or more, a re-clone whose copy would leave the volume less free than the datadir's size plus a tenth changes nothing and fails, naming the fix.",
            "1"
        ),
        new(
            "to",
            "switchover: the pod to hand the primary role to (mysql-N); default the most advanced replica."
        ),
        // Backups to storage (appended)
        new(
            "target",
            "backup and backups: where backups are kept, file:/path (a folder) or s3://bucket/prefix (S3-compatible object storage); serve: archive every closed binlog there while this pod is the primary, and take the scheduled backups there (--backup-schedule; give every pod the same target)."
        ),
        new(
            "s3-endpoint",
            "Service URL of an S3-compatible server (MinIO, Ceph, moto: http://host:port); unset = AWS S3."
        ),
        new(
            "s3-region",
            "S3 region (signs requests; picks the AWS endpoint when --s3-endpoint is unset).",
            "us-east-1"
        ),
        new(
            "s3-path-style",
            "Address buckets as endpoint/bucket instead of bucket.endpoint (most S3-compatible servers want it).",
            IsFlag: true
        ),
        new(
            "s3-ca-file",
            "PEM CA that signs --s3-endpoint's certificate (instead of the system's trust store)."
        ),
        new(
            "s3-access-key-id-file",
            "File holding the S3 access key id (from a Secret); unset = the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables."
        ),
        new(
            "s3-secret-access-key-file",
            "File holding the S3 secret access key; set with --s3-access-key-id-file."
        ),
        new(
            "from",
            "restore: the storage to restore from, file:/path or s3://bucket/prefix; clone on ordinal 0: bootstrap a new set by restoring from it into the empty datadir."
        ),
        new(
            "backup",
            "restore, verify: the id of the backup to restore exactly, with no binlog replayed (as backups lists it); or --latest, --to-time, --to-gtid."
        ),
        new(
            "latest",
            "restore: restore the newest backup and replay every binlog archived after it (the newest recoverable point); with none archived, just the backup.",
            IsFlag: true
        ),
        new(
            "binlog-archive-interval",
            "serve with --target: the primary rotates its binlog this often (seconds) when it holds unarchived transactions, so that a quiet server's RPO is bounded; 0 = never force a rotation.",
            "60"
        ),
        new(
            "to-time",
            "restore: restore the newest backup finished at or before this UTC time (2026-12-07T14:03:00Z, the trailing Z required) and replay the archived binlogs up to it: every transaction committed at or before it (binlog times have whole seconds) and none after."
        ),
        new(
            "to-gtid",
            "restore: restore the newest backup not beyond this GTID position and replay the archived binlogs up to and including it (MariaDB domain-server-sequence, one per domain; refused on MySQL for now: use --to-time)."
        ),
        new(
            "mysqld-path",
            "restore --to-time/--to-gtid/--latest: the server binary that replays the binlogs on the restored datadir (default mariadbd or mysqld, by the backup's flavour)."
        ),
        new(
            "mysqlbinlog-path",
            "restore: the binlog decoder (default mariadb-binlog or mysqlbinlog, by flavour)."
        ),
        new(
            "mysql-client-path",
            "restore: the client that applies the decoded binlogs (default mariadb or mysql, by flavour)."
        ),
        new(
            "keep-backups",
            "prune: keep at least this many of the newest backups, whatever their age (1 or more).",
            "7"
        ),
        new(
            "keep-days",
            "prune: keep every backup younger than this many days, whatever their number (0 = by count only); a backup goes only when both rules let it go.",
            "7"
        ),
        new("plan-only", "prune: print what would be deleted and delete nothing.", IsFlag: true),
        // Scheduled backups (appended)
        new(
            "backup-schedule",
            "serve with --target: take a full backup at each tick of this 5-field cron expression (\"0 3 * * *\" = 03:00 every day), from the ready replica with the least lag, else the primary; one backup per tick across the set. Unset = no schedule."
        ),
        new(
            "primary-proxy-port",
            "serve: listen on this port and forward each TCP connection to the mysqld of the current primary (the Lease holder that has promoted and renews; ordinal 0 without a lease store), cutting them at each term change; the mysql-primary Service targets it. A TCP relay: MySQL's TLS stays end to end. 0 = off.",
            "0"
        ),
        new(
            "backup-schedule-time-zone",
            "The IANA time zone --backup-schedule is read in (Europe/Berlin); DST changes are followed.",
            "UTC"
        ),
    ];

    private static readonly Dictionary<string, OptionSpec> ByName = All.ToDictionary(
        o => o.Name,
        StringComparer.Ordinal
    );

    public static OptionSpec? Find(string name) => ByName.GetValueOrDefault(name);
}
