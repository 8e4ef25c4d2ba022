namespace MysqlAgent.Backup;

public enum BackupResult
{
    /// <summary>The tool exited 0 and the whole stream went out.</summary>
    Success,

    /// <summary>The tool failed (non-zero exit, killed, not startable) or could not be chosen.</summary>
    Failed,

    /// <summary>The receiver went away (or the agent is stopping): the tool was killed.</summary>
    Cancelled,
}

/// <summary>How one served backup ended, with what the receiver and the log need to know.</summary>
public sealed record BackupOutcome(BackupResult Result, long Bytes, int? ExitCode, string? Error)
{
    /// <summary>The value of the <c>result</c> label of the backup streams metric.</summary>
    public string MetricLabel =>
        Result switch
        {
            BackupResult.Success => "success",
            BackupResult.Failed => "failed",
            _ => "cancelled",
        };
}
