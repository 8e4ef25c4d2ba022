namespace MysqlAgent.Archive.Schedule;

/// <summary>
/// The <c>backup</c> section of <c>/status</c>: the backup to storage running on this pod, and the
/// last one that succeeded and failed. The primary reads <see cref="Running"/> of every peer before
/// it triggers a tick, so that a tick already running somewhere is not started twice. Also the
/// state of <see cref="StorageBackupRunner"/>: one immutable record, changed only through the
/// functions below.
/// </summary>
public sealed record BackupStatusDocument
{
    public BackupRunningDocument? Running { get; init; }
    public BackupSuccessDocument? LastSuccess { get; init; }
    public BackupFailureDocument? LastFailure { get; init; }

    public BackupStatusDocument Started(BackupRunningDocument run) => this with { Running = run };

    public BackupStatusDocument Succeeded(BackupManifest manifest, double seconds)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return this with
        {
            Running = null,
            LastSuccess = new BackupSuccessDocument
            {
                Id = manifest.Id,
                Tick = manifest.Tick,
                FinishedAt = manifest.FinishedAt,
                Bytes = manifest.DataBytes,
                Seconds = Math.Round(seconds, 1),
            },
        };
    }

    public BackupStatusDocument Failed(string? tick, string reason, DateTimeOffset at) =>
        this with
        {
            Running = null,
            LastFailure = new BackupFailureDocument
            {
                Tick = tick,
                Reason = reason,
                At = at,
            },
        };
}

public sealed record BackupRunningDocument
{
    /// <summary>The schedule's tick; null for a backup on demand.</summary>
    public string? Tick { get; init; }
    public string Id { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
}

public sealed record BackupSuccessDocument
{
    public string Id { get; init; } = "";
    public string? Tick { get; init; }
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The data object's bytes as stored (compressed, framed).</summary>
    public long Bytes { get; init; }
    public double Seconds { get; init; }
}

public sealed record BackupFailureDocument
{
    public string? Tick { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset At { get; init; }
}
