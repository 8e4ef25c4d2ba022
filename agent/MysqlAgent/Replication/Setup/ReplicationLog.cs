using Microsoft.Extensions.Logging;

namespace MysqlAgent.Replication.Setup;

/// <summary>Replication setup events (2xxx).</summary>
public static partial class ReplicationLog
{
    [LoggerMessage(
        2000,
        LogLevel.Information,
        "mysqld answered at {Endpoint} after {Attempts} attempts: {Server}"
    )]
    public static partial void ServerAnswered(
        ILogger logger,
        string endpoint,
        int attempts,
        string server
    );

    [LoggerMessage(
        2001,
        LogLevel.Information,
        "replication setup: {Action} (marker {Marker}, started marker {Started}, source configured {SourceConfigured}, threads running {Running})"
    )]
    public static partial void Decided(
        ILogger logger,
        string action,
        bool marker,
        bool started,
        bool sourceConfigured,
        bool running
    );

    [LoggerMessage(2002, LogLevel.Information, "replication setup: running {Statement}")]
    public static partial void Executing(ILogger logger, string statement);

    [LoggerMessage(
        2003,
        LogLevel.Information,
        "replication set up from {Source} starting at {Start} ({Mode})"
    )]
    public static partial void SetUp(ILogger logger, string source, string start, string mode);

    [LoggerMessage(
        2009,
        LogLevel.Information,
        "replication setup finished: {Action}, {ElapsedMs} ms after mysqld answered"
    )]
    public static partial void Finished(ILogger logger, string action, long elapsedMs);

    [LoggerMessage(
        2004,
        LogLevel.Warning,
        "replication setup attempt {Attempt} failed, retrying in {DelayMs} ms: {Reason}"
    )]
    public static partial void TransientFailure(
        ILogger logger,
        int attempt,
        long delayMs,
        string reason
    );

    [LoggerMessage(2005, LogLevel.Error, "replication setup stopped: {Reason}")]
    public static partial void PermanentFailure(ILogger logger, string reason);

    [LoggerMessage(2006, LogLevel.Information, "primary ready: users {Users} ensured, writable")]
    public static partial void PrimaryReady(ILogger logger, string users);

    [LoggerMessage(
        2007,
        LogLevel.Information,
        "replication already set up (marker and source present): nothing to do"
    )]
    public static partial void AlreadyConfigured(ILogger logger);

    [LoggerMessage(
        2008,
        LogLevel.Debug,
        "waiting for mysqld at {Endpoint} (attempt {Attempt}): {Reason}"
    )]
    public static partial void WaitingForServer(
        ILogger logger,
        string endpoint,
        int attempt,
        string reason
    );

    [LoggerMessage(2030, LogLevel.Information, "primary accounts: {Summary}")]
    public static partial void PrimaryAccounts(ILogger logger, string summary);
}
