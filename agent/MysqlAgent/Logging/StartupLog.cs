using Microsoft.Extensions.Logging;

namespace MysqlAgent.Logging;

/// <summary>Startup and command-boundary events (0xxx).</summary>
public static partial class StartupLog
{
    [LoggerMessage(
        1,
        LogLevel.Information,
        "mysql-agent {Version} {Command} starting: {Configuration}"
    )]
    public static partial void Starting(
        ILogger logger,
        string version,
        string command,
        string configuration
    );

    [LoggerMessage(2, LogLevel.Error, "{Command} failed: {Reason}")]
    public static partial void ExpectedFailure(ILogger logger, string command, string reason);

    [LoggerMessage(3, LogLevel.Critical, "{Command} crashed")]
    public static partial void Crashed(ILogger logger, string command, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "{Command} stopped")]
    public static partial void Stopped(ILogger logger, string command);
}
