using Microsoft.Extensions.Logging;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using MysqlAgent.Storage;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Archive;

/// <summary>
/// Restores one backup from storage into an empty datadir along the clone's own path: the stored
/// stream is read through <see cref="StreamExtractor"/> (end frame, byte count and XXH128 verified),
/// the whole object is checked against its manifest, then <see cref="BackupPreparer"/> and
/// <see cref="CloneInstaller"/> make it a datadir. Nothing reaches the datadir before all of that held.
/// </summary>
public sealed class RestoreFromStorage(
    AgentOptions options,
    IBackupStorage storage,
    TimeProvider time,
    ILogger logger
)
{
    /// <param name="backupId">The backup to restore; null = the latest.</param>
    public async Task<BackupManifest> RunAsync(
        string? backupId,
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
        BackupManifest manifest;
        if (backupId is null)
        {
            manifest =
                backups.Count > 0
                    ? backups[^1]
                    : throw new RestoreFailedException($"no backups in {storage.Location}");
        }
        else
        {
            manifest =
                backups.FirstOrDefault(b => b.Id == backupId)
                ?? throw new RestoreFailedException(
                    $"no backup '{backupId}' in {storage.Location} (run backups to list them)"
                );
        }

        Directory.CreateDirectory(dataDir);
        var staging = CloneMarker.StagingPath(dataDir);
        var source = new Endpoint(storage.Location + BackupKeys.Data(manifest.Id), 0);
        var tool = manifest.Flavour == "mariadb" ? StreamTool.MariaDb : StreamTool.MySql;
        tool = new StreamTool(
            options.StreamToolPath ?? tool.Extractor,
            options.BackupToolPath ?? tool.Preparer
        );
        try
        {
            Directory.CreateDirectory(staging);
            BackupStreamTrailer trailer;
            var body = new ReadHashingStream(
                await storage.GetAsync(manifest.DataKey, cancellationToken).ConfigureAwait(false)
            );
            await using (body.ConfigureAwait(false))
            {
                trailer = await StreamExtractor
                    .ExtractAsync(tool.Extractor, staging, body, source, cancellationToken)
                    .ConfigureAwait(false);
                await body.DrainAsync(cancellationToken).ConfigureAwait(false);
                if (body.Bytes != manifest.DataBytes || body.Xxh128 != manifest.DataXxh128)
                {
                    throw new RestoreFailedException(
                        $"backup {manifest.Id}: the stored data ({body.Bytes} bytes, xxh128 {body.Xxh128}) differs from its manifest ({manifest.DataBytes} bytes, xxh128 {manifest.DataXxh128})"
                    );
                }
            }

            await BackupPreparer
                .PrepareAsync(tool.Preparer, staging, source, cancellationToken)
                .ConfigureAwait(false);
            CloneInstaller.Install(
                dataDir,
                new CloneCompletion(
                    "backup " + manifest.Id,
                    trailer.Bytes,
                    trailer.Xxh128,
                    time.GetUtcNow(),
                    tool.Extractor
                )
            );
            ArchiveLog.Restored(logger, manifest.Id, storage.Location, dataDir, trailer.Bytes);
            return manifest;
        }
        catch (Exception e) when (e is not RestoreFailedException)
        {
            RemoveQuietly(staging);
            throw new RestoreFailedException(
                $"restore of backup {manifest.Id} from {storage.Location} failed: {e.Message}",
                e
            );
        }
        catch
        {
            RemoveQuietly(staging);
            throw;
        }
    }

    private static void RemoveQuietly(string staging)
    {
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next restore refuses the non-empty datadir and names it.
        }
    }
}
