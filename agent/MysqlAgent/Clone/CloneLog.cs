using Microsoft.Extensions.Logging;

namespace MysqlAgent.Clone;

/// <summary>Clone events (1000-1099).</summary>
public static partial class CloneLog
{
    [LoggerMessage(1000, LogLevel.Information, "clone not needed: {Reason}")]
    public static partial void NothingToDo(ILogger logger, string reason);

    [LoggerMessage(1001, LogLevel.Warning, "cleaning the datadir before cloning: {Reason}")]
    public static partial void CleaningPartial(ILogger logger, string reason);

    [LoggerMessage(
        1010,
        LogLevel.Warning,
        "re-clone requested (errant transactions {Errant} beyond the fork point of term {Term}): moved {DataDir} aside to {Aside}, kept; cloning from {Donor}"
    )]
    public static partial void MovedAside(
        ILogger logger,
        string dataDir,
        string aside,
        long term,
        string errant,
        string donor
    );

    [LoggerMessage(
        1011,
        LogLevel.Information,
        "re-clone requested (errant transactions {Errant} beyond the fork point of term {Term}): {DataDir} not kept aside (--keep-errant-datadirs 0), deleted; cloning from {Donor}"
    )]
    public static partial void NotKeptByChoice(
        ILogger logger,
        string dataDir,
        long term,
        string errant,
        string donor
    );

    [LoggerMessage(
        1012,
        LogLevel.Information,
        "deleted {Aside}, an older datadir moved aside by a re-clone: --keep-errant-datadirs keeps {Keep}"
    )]
    public static partial void OlderCopyDeleted(ILogger logger, string aside, int keep);

    [LoggerMessage(
        1002,
        LogLevel.Information,
        "clone attempt {Attempt} from donor {Donor} (at {Address})"
    )]
    public static partial void AttemptStarting(
        ILogger logger,
        int attempt,
        string donor,
        string address
    );

    [LoggerMessage(
        1003,
        LogLevel.Warning,
        "clone attempt {Attempt} from donor {Donor} failed: {Reason}; next attempt in {NextDelaySeconds:0.0}s"
    )]
    public static partial void AttemptFailed(
        ILogger logger,
        int attempt,
        string donor,
        string reason,
        double nextDelaySeconds
    );

    [LoggerMessage(
        1004,
        LogLevel.Information,
        "backup stream from {Donor} verified: {Bytes} bytes, xxh128 {Xxh128}; preparing with {Preparer}"
    )]
    public static partial void StreamVerified(
        ILogger logger,
        string donor,
        long bytes,
        string xxh128,
        string preparer
    );

    [LoggerMessage(
        1005,
        LogLevel.Information,
        "clone complete from {Donor}: {Bytes} bytes in {Seconds:0.00}s ({MegabytesPerSecond:0.0} MB/s), {Entries} entries moved into {DataDir}"
    )]
    public static partial void Completed(
        ILogger logger,
        string donor,
        long bytes,
        double seconds,
        double megabytesPerSecond,
        int entries,
        string dataDir
    );

    [LoggerMessage(
        1006,
        LogLevel.Warning,
        "donor {Failing} keeps failing; cloning from {Chosen} instead (peers: {Peers})"
    )]
    public static partial void DonorFallback(
        ILogger logger,
        string failing,
        string chosen,
        string peers
    );

    [LoggerMessage(
        1007,
        LogLevel.Warning,
        "donor {Failing} keeps failing and no other peer is ready; staying with it (peers: {Peers})"
    )]
    public static partial void NoFallbackDonor(ILogger logger, string failing, string peers);

    [LoggerMessage(
        1008,
        LogLevel.Information,
        "extracting the stream from {Donor} with {Extractor} into {Staging}"
    )]
    public static partial void Extracting(
        ILogger logger,
        string donor,
        string extractor,
        string staging
    );

    [LoggerMessage(
        1009,
        LogLevel.Warning,
        "clone stopped before it finished; staging removed, the datadir holds no clone"
    )]
    public static partial void Cancelled(ILogger logger);

    [LoggerMessage(
        1050,
        LogLevel.Information,
        "clone from {Donor}: {Megabytes:F0} MB ({Percent:F0} % of the donor's {TotalMegabytes:F0} MB datadir), {MegabytesPerSecond:F0} MB/s, about {SecondsLeft} s to go"
    )]
    public static partial void Progress(
        ILogger logger,
        string donor,
        double megabytes,
        double percent,
        double totalMegabytes,
        double megabytesPerSecond,
        double secondsLeft
    );

    [LoggerMessage(
        1051,
        LogLevel.Information,
        "clone from {Donor}: {Megabytes:F0} MB, {MegabytesPerSecond:F0} MB/s (the donor sent no datadir size: no estimate)"
    )]
    public static partial void ProgressWithoutEstimate(
        ILogger logger,
        string donor,
        double megabytes,
        double megabytesPerSecond
    );

    [LoggerMessage(
        1052,
        LogLevel.Information,
        "donor {Donor} streams with compression {Compression}, datadir {DataDirBytes} bytes"
    )]
    public static partial void StreamOpened(
        ILogger logger,
        string donor,
        string compression,
        string dataDirBytes
    );

    [LoggerMessage(
        1053,
        LogLevel.Information,
        "{Pod} bootstraps the set from {From} ({Target}): its datadir is empty, so it is restored instead of cloned; the other pods clone from it"
    )]
    public static partial void Restoring(ILogger logger, string pod, string from, string target);
}
