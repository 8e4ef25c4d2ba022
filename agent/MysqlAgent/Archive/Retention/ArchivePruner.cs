using Microsoft.Extensions.Logging;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive.Retention;

/// <summary>
/// Carries out a <see cref="RetentionPlan"/> on a storage: each backup and archived binlog loses its
/// manifest first (from then on it does not exist, and no restore picks it), then its data. A prune
/// cut halfway leaves at worst data objects without a manifest, which nothing lists and the next
/// prune does not see; it never leaves a manifest whose data is gone.
/// </summary>
public sealed class ArchivePruner(IBackupStorage storage, ILogger logger)
{
    public async Task<RetentionPlan> PlanAsync(
        DateTimeOffset now,
        int keepBackups,
        TimeSpan keepAge,
        CancellationToken cancellationToken
    )
    {
        var backups = await BackupCatalog
            .ListAsync(storage, logger, cancellationToken)
            .ConfigureAwait(false);
        var binlogs = await BinlogArchiveCatalog
            .ListAsync(storage, logger, cancellationToken)
            .ConfigureAwait(false);
        return RetentionPlan.Decide(backups, binlogs, now, keepBackups, keepAge);
    }

    public async Task ApplyAsync(
        RetentionPlan plan,
        int keepBackups,
        TimeSpan keepAge,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var backup in plan.DeletedBackups)
        {
            await DeleteFolderAsync(
                    BackupKeys.Manifest(backup.Id),
                    BackupKeys.Root + backup.Id + "/",
                    cancellationToken
                )
                .ConfigureAwait(false);
            RetentionLog.BackupDeleted(logger, storage.Location, backup.Id, backup.FinishedAt);
        }

        foreach (var binlog in plan.DeletedBinlogs)
        {
            await DeleteFolderAsync(
                    BinlogKeys.Manifest(binlog.Id),
                    BinlogKeys.Root + binlog.Id + "/",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }

        if (plan.BinlogsKeptBecause is { } reason)
        {
            RetentionLog.BinlogsKept(logger, storage.Location, reason);
        }

        RetentionLog.Pruned(
            logger,
            storage.Location,
            plan.DeletedBackups.Count,
            plan.DeletedBinlogs.Count,
            plan.Kept.Count,
            keepBackups,
            keepAge.TotalDays,
            plan.Kept.Count > 0 ? plan.Kept[0].Id : "(none)"
        );
    }

    private async Task DeleteFolderAsync(
        string manifestKey,
        string folder,
        CancellationToken cancellationToken
    )
    {
        await storage.DeleteAsync(manifestKey, cancellationToken).ConfigureAwait(false);
        var rest = new List<string>();
        await foreach (
            var stored in storage.ListAsync(folder, cancellationToken).ConfigureAwait(false)
        )
        {
            rest.Add(stored.Key);
        }

        foreach (var key in rest)
        {
            await storage.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }
}
