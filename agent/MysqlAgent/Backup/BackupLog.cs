using Microsoft.Extensions.Logging;

namespace MysqlAgent.Backup;

/// <summary>Backup serving events (3000-3099).</summary>
internal static partial class BackupLog
{
    [LoggerMessage(
        3000,
        LogLevel.Information,
        "backup for {Receiver} starting: {Tool} streaming the local server {Server}"
    )]
    public static partial void Starting(
        ILogger logger,
        string receiver,
        string tool,
        string server
    );

    [LoggerMessage(
        3001,
        LogLevel.Information,
        "backup for {Receiver} complete: {Bytes} bytes in {Seconds:F1} s"
    )]
    public static partial void Succeeded(
        ILogger logger,
        string receiver,
        long bytes,
        double seconds
    );

    [LoggerMessage(
        3002,
        LogLevel.Error,
        "backup for {Receiver} failed after {Bytes} bytes: {Reason}; last lines of the tool's stderr:\n{StderrTail}"
    )]
    public static partial void Failed(
        ILogger logger,
        string receiver,
        long bytes,
        string reason,
        string stderrTail
    );

    [LoggerMessage(
        3003,
        LogLevel.Warning,
        "backup for {Receiver} cancelled after {Bytes} bytes ({Reason}); the backup tool was killed; last lines of its stderr:\n{StderrTail}"
    )]
    public static partial void Cancelled(
        ILogger logger,
        string receiver,
        long bytes,
        string reason,
        string stderrTail
    );

    [LoggerMessage(
        3004,
        LogLevel.Warning,
        "backup request from {Remote} refused: {Reason} (send 'Authorization: Bearer <token>' with the backup token)"
    )]
    public static partial void Unauthorized(ILogger logger, string remote, string reason);

    [LoggerMessage(
        3005,
        LogLevel.Warning,
        "backup request from {Remote} refused: {Active} of {Limit} backups already running (raise --max-concurrent-backups or retry later)"
    )]
    public static partial void Busy(ILogger logger, string remote, int active, int limit);

    [LoggerMessage(
        3006,
        LogLevel.Warning,
        "legacy raw-xbstream port {Port} is open: it hands a full, UNAUTHENTICATED copy of the database to any client; close it (--legacy-stream-port 0) once the set is migrated"
    )]
    public static partial void LegacyPortOpen(ILogger logger, int port);

    [LoggerMessage(3007, LogLevel.Information, "backup tool for this server: {Tool} ({Reason})")]
    public static partial void ToolChosen(ILogger logger, string tool, string reason);

    [LoggerMessage(3008, LogLevel.Debug, "backup tool: {Line}")]
    public static partial void ToolOutput(ILogger logger, string line);

    [LoggerMessage(
        3009,
        LogLevel.Warning,
        "could not delete the backup's private folder {Folder}: {Reason}"
    )]
    public static partial void CleanupFailed(ILogger logger, string folder, string reason);

    [LoggerMessage(
        3010,
        LogLevel.Error,
        "legacy stream connection from {Remote} failed unexpectedly"
    )]
    public static partial void LegacyConnectionCrashed(
        ILogger logger,
        string remote,
        Exception exception
    );
}
