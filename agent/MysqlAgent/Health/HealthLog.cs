using Microsoft.Extensions.Logging;

namespace MysqlAgent.Health;

/// <summary>Health events (40xx): logged on transitions only, never once per check.</summary>
public static partial class HealthLog
{
    [LoggerMessage(
        4000,
        LogLevel.Information,
        "mysqld at {Endpoint} answers: {Flavor} {Version}, server_id {ServerId}"
    )]
    public static partial void MysqldUp(
        ILogger logger,
        string endpoint,
        string? flavor,
        string? version,
        uint? serverId
    );

    [LoggerMessage(4001, LogLevel.Warning, "mysqld at {Endpoint} does not answer: {Error}")]
    public static partial void MysqldDown(ILogger logger, string endpoint, string? error);

    [LoggerMessage(4002, LogLevel.Information, "ready: {Reason}")]
    public static partial void BecameReady(ILogger logger, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "not ready: {Reason}")]
    public static partial void BecameNotReady(ILogger logger, string reason);

    [LoggerMessage(
        4004,
        LogLevel.Error,
        "node check failed unexpectedly; retrying at the next interval"
    )]
    public static partial void CheckCrashed(ILogger logger, Exception exception);

    [LoggerMessage(
        4005,
        LogLevel.Warning,
        "mysqld at {Endpoint} answers but cannot be inspected: {Error}"
    )]
    public static partial void InspectionFailed(ILogger logger, string endpoint, string? error);

    [LoggerMessage(
        4006,
        LogLevel.Error,
        "reading the state of mysqld at {Endpoint} failed with a bug in the agent; not ready until it is fixed"
    )]
    public static partial void InspectionBug(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(
        4007,
        LogLevel.Warning,
        "replication source {Source} unreachable: IO thread {State}{Error}; staleness {Staleness}"
    )]
    public static partial void SourceUnreachable(
        ILogger logger,
        string source,
        string state,
        string error,
        string staleness
    );

    [LoggerMessage(
        4008,
        LogLevel.Information,
        "replication source {Source} reachable again after {Seconds} s"
    )]
    public static partial void SourceReachable(ILogger logger, string source, long seconds);
}
