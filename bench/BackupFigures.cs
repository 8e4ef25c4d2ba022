namespace MysqlBench;

/// <summary>Backups of the donor into one kind of storage, timed as whole <c>mysql-agent backup</c> processes.</summary>
internal sealed record BackupTargetResult(
    string Target,
    string Includes,
    IReadOnlyList<double> Seconds,
    double MedianSeconds,
    double MbPerSecond,
    long StoredBytes
);

/// <summary>
/// One <c>restore --latest</c> from the folder target, split into its parts; the parts add up to
/// the whole process (listing the manifests counts with the download).
/// </summary>
internal sealed record RestoreResult(
    string Includes,
    double TotalSeconds,
    double DownloadExtractVerifySeconds,
    double PrepareSeconds,
    double BinlogReplaySeconds,
    int BinlogsReplayed,
    long RowsReplayed
);

/// <summary>The backup and restore figures of one run, with the agent's clone of the same datadir measured in turns with them.</summary>
internal sealed record BackupFigures(
    string Link,
    CloneMethodResult AgentClone,
    IReadOnlyList<BackupTargetResult> Backups,
    RestoreResult? Restore
);
