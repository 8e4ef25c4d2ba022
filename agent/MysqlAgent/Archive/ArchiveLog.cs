using Microsoft.Extensions.Logging;

namespace MysqlAgent.Archive;

/// <summary>Backups to storage (6000-6099).</summary>
internal static partial class ArchiveLog
{
    [LoggerMessage(
        6000,
        LogLevel.Information,
        "backup {Id} starting: streaming the local server {Server} to {Location} (compression {Compression})"
    )]
    public static partial void Starting(
        ILogger logger,
        string id,
        string server,
        string location,
        string compression
    );

    [LoggerMessage(
        6001,
        LogLevel.Information,
        "backup {Id} stored in {Location}: {DataBytes} bytes, xxh128 {Xxh128}, in {Seconds:F1} s; manifest written last"
    )]
    public static partial void Stored(
        ILogger logger,
        string id,
        string location,
        long dataBytes,
        string xxh128,
        double seconds
    );

    [LoggerMessage(
        6002,
        LogLevel.Error,
        "backup {Id} to {Location} failed: {Reason}; no manifest was written, so the backup does not exist"
    )]
    public static partial void Failed(ILogger logger, string id, string location, string reason);

    [LoggerMessage(
        6003,
        LogLevel.Warning,
        "manifest {Key} in {Location} is unreadable and was skipped: {Reason}"
    )]
    public static partial void ManifestSkipped(
        ILogger logger,
        string key,
        string location,
        string reason
    );

    [LoggerMessage(
        6004,
        LogLevel.Information,
        "backup {Id} from {Location} restored into {DataDir}: {Bytes} bytes verified, prepared and installed"
    )]
    public static partial void Restored(
        ILogger logger,
        string id,
        string location,
        string dataDir,
        long bytes
    );
}
