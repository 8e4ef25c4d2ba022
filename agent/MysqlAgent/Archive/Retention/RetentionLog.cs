using Microsoft.Extensions.Logging;

namespace MysqlAgent.Archive.Retention;

/// <summary>Retention of backups and archived binlogs (6040-6049).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(
        6040,
        LogLevel.Information,
        "prune {Location}: deleted backup {Id} (finished {FinishedAt:o}), manifest first"
    )]
    public static partial void BackupDeleted(
        ILogger logger,
        string location,
        string id,
        DateTimeOffset finishedAt
    );

    [LoggerMessage(
        6041,
        LogLevel.Information,
        "prune {Location}: {DeletedBackups} backups and {DeletedBinlogs} archived binlogs deleted; {KeptBackups} backups kept (newest {KeepBackups}, and any younger than {KeepDays} days), the oldest {Oldest}"
    )]
    public static partial void Pruned(
        ILogger logger,
        string location,
        int deletedBackups,
        int deletedBinlogs,
        int keptBackups,
        int keepBackups,
        double keepDays,
        string oldest
    );

    [LoggerMessage(
        6042,
        LogLevel.Warning,
        "prune {Location}: every archived binlog is kept because {Reason}; the archive grows until a backup with a GTID position is taken"
    )]
    public static partial void BinlogsKept(ILogger logger, string location, string reason);
}
