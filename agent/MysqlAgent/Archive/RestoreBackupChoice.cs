using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Archive;

/// <summary>
/// Which backup a point-in-time restore starts from: for <c>--to-time T</c> the newest that finished
/// at or before T, for <c>--to-gtid G</c> the newest whose position does not go beyond G, for
/// <c>--latest</c> the newest. Pure: the backups come from <see cref="BackupCatalog"/>, oldest first.
/// </summary>
public static class RestoreBackupChoice
{
    /// <param name="toTime">The <c>--to-time</c>, or null.</param>
    /// <param name="toGtid">The <c>--to-gtid</c> text, or null; neither = <c>--latest</c>.</param>
    /// <exception cref="RestoreFailedException">No backup fits, or the GTID is not one of the backups' flavour.</exception>
    public static (BackupManifest Backup, RestoreTarget Target) Choose(
        IReadOnlyList<BackupManifest> backups,
        DateTimeOffset? toTime,
        string? toGtid,
        string location
    )
    {
        ArgumentNullException.ThrowIfNull(backups);
        if (backups.Count == 0)
        {
            throw new RestoreFailedException($"no backups in {location}");
        }

        var oldest = backups.MinBy(b => b.FinishedAt)!;
        var newestFirst = backups.OrderByDescending(b => b.FinishedAt).ToList();
        if (toTime is { } time)
        {
            var target = new RestoreTarget.ToTime(time);
            var backup =
                newestFirst.FirstOrDefault(b => b.FinishedAt <= time)
                ?? throw new RestoreFailedException(
                    $"{target} is before the oldest backup in {location} ({oldest.Id}, finished {RestoreTarget.Format(oldest.FinishedAt)}): choose a later time"
                );
            return (backup, target);
        }

        if (toGtid is not null)
        {
            var flavour = newestFirst[0].Flavour;
            if (flavour != BinlogCoverage.MariaDbFlavour)
            {
                throw new RestoreFailedException(
                    "--to-gtid is MariaDB-only for now; use --to-time"
                );
            }

            BinlogCoverage gtid;
            try
            {
                gtid = BinlogCoverage.Parse(flavour, toGtid);
            }
            catch (FormatException e)
            {
                throw new RestoreFailedException(
                    $"--to-gtid '{toGtid}' is not a {flavour} GTID position (domain-server-sequence, e.g. 0-100-42): {e.Message}"
                );
            }

            if (gtid.IsEmpty)
            {
                throw new RestoreFailedException($"--to-gtid '{toGtid}' names no GTID");
            }

            var target = new RestoreTarget.ToGtid(gtid);
            var backup =
                newestFirst.FirstOrDefault(b =>
                    b.Flavour == flavour
                    && gtid.Contains(BinlogCoverage.Parse(flavour, b.GtidAfter ?? ""))
                )
                ?? throw new RestoreFailedException(
                    $"{target} is before the oldest backup in {location} ({oldest.Id}, finished {RestoreTarget.Format(oldest.FinishedAt)}, at {oldest.GtidAfter}): choose a later GTID"
                );
            return (backup, target);
        }

        return (newestFirst[0], new RestoreTarget.Latest());
    }
}
