using Prometheus;

namespace MysqlAgent.Metrics;

/// <summary>
/// Every metric the agent exports, defined in this one file on an injected registry (a fresh one per
/// test). docs/reference/metrics.md's table is checked against <see cref="Registry"/> by a test.
/// </summary>
public sealed class AgentMetrics
{
    public AgentMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);

        BackupStreams = factory.CreateCounter(
            "mysql_agent_backup_streams_total",
            "Backup streams served, by result (success, failed, cancelled).",
            new CounterConfiguration { LabelNames = ["result"] }
        );
        BackupBytesSent = factory.CreateCounter(
            "mysql_agent_backup_bytes_sent_total",
            "Bytes of backup stream sent to peers."
        );
        BackupStreamDuration = factory.CreateHistogram(
            "mysql_agent_backup_stream_duration_seconds",
            "Duration of backup streams, from the tool's start to its end.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.5, 2, 14) }
        );
        BackupsInProgress = factory.CreateGauge(
            "mysql_agent_backups_in_progress",
            "Backup streams being served now."
        );
        BackupRejections = factory.CreateCounter(
            "mysql_agent_backup_rejections_total",
            "Backup requests refused before a backup started, by reason (busy, unauthorized).",
            new CounterConfiguration { LabelNames = ["reason"] }
        );
        ReplicationSetupAttempts = factory.CreateCounter(
            "mysql_agent_replication_setup_attempts_total",
            "Replication setup attempts, by result (success, transient_error, permanent_error, already_configured).",
            new CounterConfiguration { LabelNames = ["result"] }
        );
        ReplicaLag = factory.CreateGauge(
            "mysql_agent_replica_lag_seconds",
            "Seconds the replica is behind its source (Seconds_Behind_Source); NaN when unknown."
        );
        ReplicaIoThreadRunning = factory.CreateGauge(
            "mysql_agent_replica_io_thread_running",
            "1 when the replica's IO (receiver) thread runs, else 0."
        );
        ReplicaSqlThreadRunning = factory.CreateGauge(
            "mysql_agent_replica_sql_thread_running",
            "1 when the replica's SQL (applier) thread runs, else 0."
        );
        ReplicaLastErrorNumber = factory.CreateGauge(
            "mysql_agent_replica_last_error_number",
            "Last replication error number (IO or SQL), 0 when none."
        );
        MysqldUp = factory.CreateGauge(
            "mysql_agent_mysqld_up",
            "1 when the local mysqld answers, else 0."
        );
        Ready = factory.CreateGauge(
            "mysql_agent_ready",
            "1 when /readyz answers 200 (this pod should take traffic), else 0."
        );
        Info = factory.CreateGauge(
            "mysql_agent_info",
            "Always 1; labels carry the agent and server facts.",
            new GaugeConfiguration { LabelNames = ["version", "role", "server_id", "flavor"] }
        );
        ReplicaStaleness = factory.CreateGauge(
            "mysql_agent_replica_staleness_seconds",
            "Age of the newest heartbeat row applied on this replica (its data's staleness); NaN when unknown."
        );
        ReplicaStaleness.Set(double.NaN);
        HeartbeatWrites = factory.CreateCounter(
            "mysql_agent_heartbeat_writes_total",
            "Heartbeat rows written by the primary's agent, by result (success, failed).",
            new CounterConfiguration { LabelNames = ["result"] }
        );
        CloneBytesReceived = factory.CreateCounter(
            "mysql_agent_clone_bytes_received_total",
            "Bytes of backup stream (uncompressed xbstream) received and extracted by clones."
        );
        CloneEstimatedBytes = factory.CreateGauge(
            "mysql_agent_clone_estimated_bytes",
            "The donor's datadir size in bytes, the estimated total of the clone in progress."
        );
        ElectionTerm = factory.CreateGauge(
            "mysql_agent_term",
            "The Lease's term (leaseTransitions) as this agent last read it; absent without an election.",
            new GaugeConfiguration { SuppressInitialValue = true }
        );
        FailoverPaused = factory.CreateGauge(
            "mysql_agent_failover_paused",
            "1 while the Lease as this agent last read it says automatic failover is paused (mysql-agent pause); 0 otherwise; absent without an election.",
            new GaugeConfiguration { SuppressInitialValue = true }
        );
        Failovers = factory.CreateCounter(
            "mysql_agent_failovers_total",
            "Promotions of this pod's mysqld after it won the Lease in a new term."
        );
        FenceDuration = factory.CreateHistogram(
            "mysql_agent_fence_seconds",
            "Duration of self-fencing (read-only and kill client connections), by result (done, failed).",
            new HistogramConfiguration
            {
                LabelNames = ["result"],
                Buckets = Histogram.ExponentialBuckets(0.01, 2, 12),
            }
        );
        SemiSyncSource = factory.CreateGauge(
            "mysql_agent_semi_sync_source",
            "1 while this primary's commits wait for a replica's acknowledgement (semi-synchronous replication on); 0 otherwise."
        );
        ErrantGtids = factory.CreateGauge(
            "mysql_agent_errant_gtids",
            "GTIDs of this server beyond the fork point of the primary it should follow (it stays read-only and unready); 0 when none."
        );
        Switchovers = factory.CreateCounter(
            "mysql_agent_switchovers_total",
            "Planned switchovers this pod's agent carried out as the primary, by result (done, aborted, refused).",
            new CounterConfiguration { LabelNames = ["result"] }
        );
        LeaseRenewFailures = factory.CreateCounter(
            "mysql_agent_lease_renew_failures_total",
            "Renewals of the Lease by this pod that failed (store unavailable or conflict)."
        );
        TwoPrimariesSeen = factory.CreateCounter(
            "mysql_agent_two_primaries_seen_total",
            "Election steps of this agent that saw two or more writable pods (its own report and the peers'): a split brain."
        );
        BinlogArchiveFiles = factory.CreateCounter(
            "mysql_agent_binlog_archive_files_total",
            "Closed binlog files this pod's agent archived to --target as the primary (file first, manifest last)."
        );
        BinlogArchiveBytes = factory.CreateCounter(
            "mysql_agent_binlog_archive_bytes_total",
            "Bytes of binlog files archived to --target by this pod's agent."
        );
        BinlogArchiveFailures = factory.CreateCounter(
            "mysql_agent_binlog_archive_failures_total",
            "Archiving passes of this pod's agent that failed (storage or server unavailable); the next pass retries."
        );
        BinlogArchiveGaps = factory.CreateCounter(
            "mysql_agent_binlog_archive_gaps_total",
            "Binlog files archived that start beyond what the archive held: no restore can replay across the gap before them."
        );
        BinlogArchiveRecoverable = factory.CreateGauge(
            "mysql_agent_binlog_archive_recoverable_timestamp_seconds",
            "The last event time of the newest archived binlog, as this pod's agent last read or wrote the archive: a restore reaches up to here; NaN before its first pass as the primary."
        );
        BinlogArchiveRecoverable.Set(double.NaN);
        BackupLastSuccess = factory.CreateGauge(
            "mysql_agent_backup_last_success_timestamp_seconds",
            "Unix time at which the last backup to storage run by this pod's agent (serve) finished with its manifest written; NaN until one has."
        );
        BackupLastSuccess.Set(double.NaN);
        BackupLastDuration = factory.CreateGauge(
            "mysql_agent_backup_last_duration_seconds",
            "Seconds the last successful backup to storage on this pod took, from its start to its manifest; NaN until one has."
        );
        BackupLastDuration.Set(double.NaN);
        BackupLastBytes = factory.CreateGauge(
            "mysql_agent_backup_last_bytes",
            "Bytes of the last successful backup's data object on this pod (compressed, as stored); NaN until one has."
        );
        BackupLastBytes.Set(double.NaN);
        BackupsToStorage = factory.CreateCounter(
            "mysql_agent_backup_to_storage_total",
            "Backups to storage run by this pod's agent (serve), by result (success, failed).",
            new CounterConfiguration { LabelNames = ["result"] }
        );
        BackupsToStorage.WithLabels("success");
        BackupsToStorage.WithLabels("failed");
        ScheduledBackupsMissed = factory.CreateCounter(
            "mysql_agent_scheduled_backups_missed_total",
            "Ticks of --backup-schedule that this pod, as the primary, found past their grace with no backup taken."
        );
        PrimaryProxyConnections = factory.CreateGauge(
            "mysql_agent_primary_proxy_connections",
            "Connections the primary proxy (--primary-proxy-port) forwards to the primary's mysqld now."
        );
        PrimaryProxyConnectionsTotal = factory.CreateCounter(
            "mysql_agent_primary_proxy_connections_total",
            "Connections the primary proxy accepted, by outcome (forwarded, refused: no primary within the 2 s hold, or its mysqld did not answer).",
            new CounterConfiguration { LabelNames = ["outcome"] }
        );
        PrimaryProxyCuts = factory.CreateCounter(
            "mysql_agent_primary_proxy_cut_total",
            "Forwarded connections the primary proxy cut because the Lease named another holder or term."
        );
    }

    public CollectorRegistry Registry { get; }
    public Counter BackupStreams { get; }
    public Counter BackupBytesSent { get; }
    public Histogram BackupStreamDuration { get; }
    public Gauge BackupsInProgress { get; }
    public Counter BackupRejections { get; }
    public Counter ReplicationSetupAttempts { get; }
    public Gauge ReplicaLag { get; }
    public Gauge ReplicaIoThreadRunning { get; }
    public Gauge ReplicaSqlThreadRunning { get; }
    public Gauge ReplicaLastErrorNumber { get; }
    public Gauge MysqldUp { get; }
    public Gauge Ready { get; }
    public Gauge SemiSyncSource { get; }
    public Gauge Info { get; }
    public Gauge ReplicaStaleness { get; }
    public Counter HeartbeatWrites { get; }
    public Counter CloneBytesReceived { get; }
    public Gauge CloneEstimatedBytes { get; }
    public Gauge ElectionTerm { get; }
    public Gauge FailoverPaused { get; }
    public Counter Failovers { get; }
    public Histogram FenceDuration { get; }
    public Gauge ErrantGtids { get; }
    public Counter LeaseRenewFailures { get; }
    public Counter TwoPrimariesSeen { get; }
    public Counter Switchovers { get; }
    public Counter BinlogArchiveFiles { get; }
    public Counter BinlogArchiveBytes { get; }
    public Counter BinlogArchiveFailures { get; }
    public Counter BinlogArchiveGaps { get; }
    public Gauge BinlogArchiveRecoverable { get; }
    public Gauge BackupLastSuccess { get; }
    public Gauge BackupLastDuration { get; }
    public Gauge BackupLastBytes { get; }
    public Counter BackupsToStorage { get; }
    public Counter ScheduledBackupsMissed { get; }
    public Gauge PrimaryProxyConnections { get; }
    public Counter PrimaryProxyConnectionsTotal { get; }
    public Counter PrimaryProxyCuts { get; }
}
