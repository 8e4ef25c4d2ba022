using Microsoft.Extensions.Logging;

namespace MysqlAgent.Heartbeat;

/// <summary>Heartbeat events (41xx, with health): logged on transitions only, never once per beat.</summary>
public static partial class HeartbeatLog
{
    [LoggerMessage(
        4100,
        LogLevel.Information,
        "heartbeat: writing {Table} every {IntervalSeconds} s while this pod is the primary"
    )]
    public static partial void Started(ILogger logger, string table, double intervalSeconds);

    [LoggerMessage(
        4101,
        LogLevel.Information,
        "heartbeat: off (--heartbeat-interval 0); replicas judge freshness by Seconds_Behind_Source only"
    )]
    public static partial void Off(ILogger logger);

    [LoggerMessage(
        4102,
        LogLevel.Warning,
        "heartbeat: cannot write {Table}: {Error}; retrying every interval"
    )]
    public static partial void WriteFailed(ILogger logger, string table, string error);

    [LoggerMessage(4103, LogLevel.Information, "heartbeat: writing {Table} again")]
    public static partial void WriteResumed(ILogger logger, string table);

    [LoggerMessage(4104, LogLevel.Information, "heartbeat: created {Table}")]
    public static partial void TableCreated(ILogger logger, string table);

    [LoggerMessage(
        4105,
        LogLevel.Error,
        "heartbeat: a beat failed unexpectedly (a bug); retrying at the next interval"
    )]
    public static partial void BeatCrashed(ILogger logger, Exception exception);
}
