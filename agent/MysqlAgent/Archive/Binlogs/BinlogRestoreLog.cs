using Microsoft.Extensions.Logging;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>Point-in-time restores: a backup plus archived binlogs replayed (6010-6019).</summary>
internal static partial class BinlogRestoreLog
{
    [LoggerMessage(
        6010,
        LogLevel.Information,
        "point-in-time restore {Target} from {Location}: backup {BackupId} (finished {FinishedAt:o}, at {Position}), then {Count} archived binlogs: {Files}"
    )]
    public static partial void Planned(
        ILogger logger,
        string target,
        string location,
        string backupId,
        DateTimeOffset finishedAt,
        string position,
        int count,
        string files
    );

    [LoggerMessage(
        6011,
        LogLevel.Information,
        "binlog {File} of {Pod} ({Id}) decoded after {From} and sent to the replay server ({Step} of {Count})"
    )]
    public static partial void Replayed(
        ILogger logger,
        string file,
        string pod,
        string id,
        string from,
        int step,
        int count
    );

    [LoggerMessage(
        6012,
        LogLevel.Information,
        "point-in-time restore into {DataDir} done: {Count} binlogs replayed, reached {Reached} (binlog {BinlogFile}:{BinlogPosition}), events up to at most {Until:o}"
    )]
    public static partial void Done(
        ILogger logger,
        string dataDir,
        int count,
        string reached,
        string binlogFile,
        long binlogPosition,
        DateTimeOffset until
    );
}
