using Microsoft.Extensions.Logging;

namespace MysqlAgent.Archive.Verification;

/// <summary>Backup verification (6050-6059).</summary>
internal static partial class VerificationLog
{
    [LoggerMessage(
        6050,
        LogLevel.Information,
        "backup {Id} in {Location} verified: restored, started with {ServerVersion} and {Tables} tables checked OK in {Seconds} s; recorded as {Key}"
    )]
    public static partial void Verified(
        ILogger logger,
        string id,
        string location,
        string serverVersion,
        int tables,
        double seconds,
        string key
    );

    [LoggerMessage(
        6051,
        LogLevel.Error,
        "backup {Id} in {Location} failed verification: {Reason}; it stays unverified, and the scratch datadir was removed"
    )]
    public static partial void Failed(ILogger logger, string id, string location, string reason);

    [LoggerMessage(
        6052,
        LogLevel.Warning,
        "verify could not remove its scratch datadir {DataDir}: {Reason}; delete it by hand"
    )]
    public static partial void ScratchLeft(ILogger logger, string dataDir, string reason);
}
