using Microsoft.Extensions.Logging;

namespace MysqlAgent.Archive.Schedule;

/// <summary>Scheduled backups (6030-6039).</summary>
internal static partial class ScheduledBackupLog
{
    [LoggerMessage(
        6030,
        LogLevel.Information,
        "scheduled backups {Schedule} into {Location} while this pod is the primary: each tick from a ready replica with the least lag, else the primary; next tick {Next}"
    )]
    public static partial void Started(
        ILogger logger,
        string schedule,
        string location,
        string next
    );

    [LoggerMessage(
        6031,
        LogLevel.Information,
        "scheduled backup tick {Tick} triggered on {Pod} ({Why})"
    )]
    public static partial void Triggered(ILogger logger, string tick, string pod, string why);

    [LoggerMessage(
        6032,
        LogLevel.Information,
        "backup {Id} of tick {Tick} starting on this pod into {Location}, asked by {RequestedBy}"
    )]
    public static partial void RunStarted(
        ILogger logger,
        string id,
        string tick,
        string location,
        string requestedBy
    );

    [LoggerMessage(6033, LogLevel.Information, "scheduled backup tick {Tick} skipped: {Why}")]
    public static partial void Skipped(ILogger logger, string tick, string why);

    [LoggerMessage(
        6034,
        LogLevel.Warning,
        "scheduled backup tick {Tick} missed: {Why}; no backup exists for it"
    )]
    public static partial void Missed(ILogger logger, string tick, string why);

    [LoggerMessage(
        6035,
        LogLevel.Warning,
        "scheduled backup tick {Tick}: {Pod} did not take it ({Reason}); asking the next pod"
    )]
    public static partial void CandidateFailed(
        ILogger logger,
        string tick,
        string pod,
        string reason
    );

    [LoggerMessage(
        6036,
        LogLevel.Error,
        "scheduled backup tick {Tick}: no pod took it ({Reasons}); there is no backup for this tick"
    )]
    public static partial void TriggerFailed(ILogger logger, string tick, string reasons);

    [LoggerMessage(
        6037,
        LogLevel.Warning,
        "scheduled backup tick {Tick}: cannot tell whether it was taken ({Reason}); checking again every {Seconds} s"
    )]
    public static partial void CheckFailed(
        ILogger logger,
        string tick,
        string reason,
        double seconds
    );
}
