using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Archive.Retention;

/// <summary>
/// What a prune deletes, decided with no I/O. A backup goes only when it is both beyond the newest
/// <c>--keep-backups</c> and older than <c>--keep-days</c>: the more generous rule wins, so a
/// schedule that stopped never thins out the last good backups, and the newest backup always stays.
/// An archived binlog goes only when everything it holds is already in the oldest kept backup
/// (its end is within that backup's GTID position from before the backup started): every restore
/// from a kept backup still finds every binlog it replays. When the oldest kept backup has no GTID
/// position (binary logging was off), or is of another flavour, no binlog is deleted.
/// </summary>
public sealed record RetentionPlan(
    IReadOnlyList<BackupManifest> Kept,
    IReadOnlyList<BackupManifest> DeletedBackups,
    IReadOnlyList<BinlogManifest> DeletedBinlogs,
    string? BinlogsKeptBecause
)
{
    /// <param name="backups">Every backup, oldest first (as <see cref="BackupCatalog"/> lists them).</param>
    /// <param name="binlogs">Every archived binlog.</param>
    /// <param name="keepBackups">At least 1.</param>
    /// <param name="keepAge">Backups younger than this stay whatever their number; zero = by count only.</param>
    public static RetentionPlan Decide(
        IReadOnlyList<BackupManifest> backups,
        IReadOnlyList<BinlogManifest> binlogs,
        DateTimeOffset now,
        int keepBackups,
        TimeSpan keepAge
    )
    {
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentNullException.ThrowIfNull(binlogs);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepBackups, 1);
        var newestFirst = backups.OrderByDescending(b => b.FinishedAt).ToList();
        var kept = new List<BackupManifest>();
        var deleted = new List<BackupManifest>();
        for (var i = 0; i < newestFirst.Count; i++)
        {
            var backup = newestFirst[i];
            var young = now - backup.FinishedAt < keepAge;
            (i < keepBackups || young ? kept : deleted).Add(backup);
        }

        kept.Reverse();
        deleted.Reverse();
        if (kept.Count == 0)
        {
            return new RetentionPlan(kept, deleted, [], "there is no backup");
        }

        var oldest = kept[0];
        if (oldest.GtidBefore is not { Length: > 0 } before)
        {
            return new RetentionPlan(
                kept,
                deleted,
                [],
                $"the oldest kept backup {oldest.Id} has no GTID position"
            );
        }

        BinlogCoverage floor;
        try
        {
            floor = BinlogCoverage.Parse(oldest.Flavour, before);
        }
        catch (FormatException)
        {
            return new RetentionPlan(
                kept,
                deleted,
                [],
                $"the oldest kept backup {oldest.Id} has a GTID position that does not parse ({before})"
            );
        }

        var unneeded = binlogs
            .Where(b => b.Flavour == oldest.Flavour && Within(b, floor))
            .OrderBy(b => b.ArchivedAt)
            .ToList();
        return new RetentionPlan(kept, deleted, unneeded, null);
    }

    private static bool Within(BinlogManifest binlog, BinlogCoverage floor)
    {
        try
        {
            return floor.Contains(binlog.End);
        }
        catch (FormatException)
        {
            // A manifest whose range does not parse is kept: prune deletes only what it understands.
            return false;
        }
    }
}
