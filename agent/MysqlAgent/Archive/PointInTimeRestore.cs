using Microsoft.Extensions.Logging;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive;

/// <summary>
/// <c>restore --to-time T | --to-gtid G | --latest</c>: a backup (<see cref="RestoreBackupChoice"/>)
/// plus the archived binlogs after it (<see cref="BinlogChain"/>), replayed (<see cref="BinlogReplay"/>).
/// Everything happens in <see cref="WorkFolderName"/> inside the datadir (same volume, so the final
/// moves are renames): the backup is installed into its <c>datadir</c>, the binlogs land in its
/// <c>binlogs</c>, and only when the replay succeeded are the files moved into the datadir, under the
/// clone's in-progress/complete markers. Any failure removes the work folder: the datadir is left as
/// empty as it was.
/// </summary>
public sealed class PointInTimeRestore(
    AgentOptions options,
    IBackupStorage storage,
    TimeProvider time,
    ILogger logger
)
{
    public const string WorkFolderName = ".mysql-agent-pitr";

    /// <param name="toTime">The <c>--to-time</c>, or null.</param>
    /// <param name="toGtid">The <c>--to-gtid</c>, or null; neither = <c>--latest</c>.</param>
    /// <returns>The position reached; empty when nothing was archived and <c>--latest</c> restored the backup as it is.</returns>
    public async Task<BinlogReplayOutcome> RunAsync(
        DateTimeOffset? toTime,
        string? toGtid,
        CancellationToken cancellationToken
    )
    {
        var dataDir = options.DataDir;
        EmptyDataDir.Require(
            dataDir,
            "restore only into an empty or missing folder (move the old datadir aside first)"
        );

        var backups = await BackupCatalog
            .ListAsync(storage, logger, cancellationToken)
            .ConfigureAwait(false);
        var (backup, target) = RestoreBackupChoice.Choose(
            backups,
            toTime,
            toGtid,
            storage.Location
        );
        var archived = await BinlogArchiveCatalog
            .ListAsync(storage, logger, cancellationToken)
            .ConfigureAwait(false);
        if (target is RestoreTarget.Latest && !archived.Any(m => m.Flavour == backup.Flavour))
        {
            // Nothing archived: the newest backup as it is, as before binlogs were archived
            // (its binlog-info file is not needed, so a server without binary logging restores too).
            BinlogRestoreLog.Planned(
                logger,
                target.ToString(),
                storage.Location,
                backup.Id,
                backup.FinishedAt,
                backup.GtidAfter ?? "",
                0,
                "none"
            );
            await new RestoreFromStorage(options, storage, time, logger)
                .RunAsync(backup.Id, cancellationToken)
                .ConfigureAwait(false);
            return new BinlogReplayOutcome(BinlogCoverage.Empty(backup.Flavour), "", 0);
        }

        RefuseEarly(archived, backup, target);

        var work = Path.Combine(dataDir, WorkFolderName);
        var staged = Path.Combine(work, "datadir");
        var scratch = Path.Combine(work, "binlogs");
        try
        {
            Directory.CreateDirectory(scratch);
            await new RestoreFromStorage(options with { DataDir = staged }, storage, time, logger)
                .RunAsync(backup.Id, cancellationToken)
                .ConfigureAwait(false);
            var (infoPath, position) = BinlogInfoFile.Read(staged, backup.Flavour);
            var plan = BinlogChain.Plan(
                archived,
                position,
                backup.FinishedAt,
                target,
                storage.Location
            );
            if (plan.Refusal is { } refusal)
            {
                throw new RestoreFailedException(refusal);
            }

            BinlogRestoreLog.Planned(
                logger,
                target.ToString(),
                storage.Location,
                backup.Id,
                backup.FinishedAt,
                position.ToString(),
                plan.Steps.Count,
                plan.Steps.Count == 0
                    ? "none"
                    : string.Join(", ", plan.Steps.Select(s => $"{s.File.File} of {s.File.Pod}"))
            );

            var outcome = new BinlogReplayOutcome(position, "", 0);
            if (plan.Steps.Count > 0)
            {
                outcome = await new BinlogReplay(options, storage, time, logger)
                    .RunAsync(staged, scratch, backup, position, plan, target, cancellationToken)
                    .ConfigureAwait(false);
                BinlogInfoFile.Write(
                    infoPath,
                    outcome.BinlogFile,
                    outcome.BinlogPosition,
                    outcome.Reached
                );
                BinlogInfoFile.RemoveSlaveInfo(staged);
            }

            var until = plan.Steps.Count == 0 ? backup.FinishedAt : plan.Steps[^1].File.LastEventAt;
            if (target is RestoreTarget.ToTime t && t.Time < until)
            {
                until = t.Time;
            }

            MoveIntoPlace(staged, dataDir, backup.Id);
            Directory.Delete(work, recursive: true);
            BinlogRestoreLog.Done(
                logger,
                dataDir,
                plan.Steps.Count,
                outcome.Reached.ToString(),
                outcome.BinlogFile,
                outcome.BinlogPosition,
                until
            );
            return outcome;
        }
        catch
        {
            RemoveQuietly(work);
            throw;
        }
    }

    /// <summary>
    /// Refuses before the backup is downloaded what the exact position cannot change: the chain from
    /// the backup's end (<see cref="BackupManifest.GtidAfter"/>, at or after its exact position)
    /// reaches at least as far as the chain from the exact one. A time after every archived event
    /// is refused whatever the position.
    /// </summary>
    private void RefuseEarly(
        IReadOnlyList<BinlogManifest> archived,
        BackupManifest backup,
        RestoreTarget target
    )
    {
        BinlogCoverage after;
        try
        {
            after = BinlogCoverage.Parse(backup.Flavour, backup.GtidAfter ?? "");
        }
        catch (FormatException)
        {
            return;
        }

        var plan = BinlogChain.Plan(archived, after, backup.FinishedAt, target, storage.Location);
        if (
            plan.Refusal is { } refusal
            && (target is not RestoreTarget.ToTime t || !archived.Any(f => f.LastEventAt >= t.Time))
        )
        {
            throw new RestoreFailedException(refusal);
        }
    }

    /// <summary>The clone's protocol: in-progress marker, every entry renamed, the complete marker last, the in-progress marker removed.</summary>
    private void MoveIntoPlace(string staged, string dataDir, string backupId)
    {
        CloneMarker.WriteInProgress(
            dataDir,
            "point-in-time restore of backup " + backupId,
            time.GetUtcNow()
        );
        var complete = Path.Combine(staged, CloneMarker.CompleteFileName);
        foreach (var entry in Directory.EnumerateFileSystemEntries(staged).ToList())
        {
            if (entry == complete)
            {
                continue;
            }

            var target = Path.Combine(dataDir, Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                Directory.Move(entry, target);
            }
            else
            {
                File.Move(entry, target);
            }
        }

        File.Move(complete, CloneMarker.CompletePath(dataDir));
        File.Delete(CloneMarker.InProgressPath(dataDir));
    }

    private static void RemoveQuietly(string work)
    {
        try
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next restore refuses the non-empty datadir and names it.
        }
    }
}
