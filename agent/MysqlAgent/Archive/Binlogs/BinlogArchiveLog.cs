using Microsoft.Extensions.Logging;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>Binlog archiving (6020-6029; 6030-6039 are scheduled backups).</summary>
internal static partial class BinlogArchiveLog
{
    [LoggerMessage(
        6020,
        LogLevel.Information,
        "binlog {File} archived to {Location} as {Id}: {Bytes} bytes, GTIDs {Start} to {End}, events up to {LastEventAt:o}"
    )]
    public static partial void Archived(
        ILogger logger,
        string file,
        string location,
        string id,
        long bytes,
        string start,
        string end,
        DateTimeOffset lastEventAt
    );

    [LoggerMessage(
        6021,
        LogLevel.Warning,
        "binlog {File} starts at {Start}, beyond what {Location} holds ({Covered}): the transactions between are in no archive, so no restore can replay across them; archived anyway; take a full backup to start a new chain"
    )]
    public static partial void Gap(
        ILogger logger,
        string file,
        string start,
        string location,
        string covered
    );

    [LoggerMessage(
        6022,
        LogLevel.Error,
        "binlog archiving to {Location} failed: {Reason}; the next pass retries, and closed binlogs stay on the server until they are archived or purged"
    )]
    public static partial void Failed(ILogger logger, string location, string reason);

    [LoggerMessage(6023, LogLevel.Information, "binlog archiving to {Location} works again")]
    public static partial void Recovered(ILogger logger, string location);

    [LoggerMessage(
        6024,
        LogLevel.Information,
        "binlog archiving to {Location} while this pod is the primary: closed binlogs checked every {PollSeconds} s, rotation forced after {IntervalSeconds} s with unarchived transactions (0 = never)"
    )]
    public static partial void Started(
        ILogger logger,
        string location,
        double pollSeconds,
        double intervalSeconds
    );

    [LoggerMessage(
        6025,
        LogLevel.Information,
        "binlog archive {Location} read for term {Term}: {Files} files, GTIDs up to {Covered}; this primary continues from there"
    )]
    public static partial void ChainRead(
        ILogger logger,
        string location,
        string term,
        int files,
        string covered
    );
}
