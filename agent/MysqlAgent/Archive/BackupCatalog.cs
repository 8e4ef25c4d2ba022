using System.Text.Json;
using Microsoft.Extensions.Logging;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive;

/// <summary>
/// The backups in a storage: read only from manifests, so a data object whose upload never got its
/// manifest (a cut or failed backup) is not a backup. Oldest first.
/// </summary>
public static class BackupCatalog
{
    private const int MaxManifestBytes = 1 << 20;

    public static async Task<IReadOnlyList<BackupManifest>> ListAsync(
        IBackupStorage storage,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(storage);
        var found = new List<BackupManifest>();
        await foreach (
            var item in storage.ListAsync(BackupKeys.Root, cancellationToken).ConfigureAwait(false)
        )
        {
            if (BackupKeys.IdOfManifest(item.Key) is null)
            {
                continue;
            }

            if (item.Bytes > MaxManifestBytes)
            {
                ArchiveLog.ManifestSkipped(
                    logger,
                    item.Key,
                    storage.Location,
                    $"{item.Bytes} bytes is too large for a manifest"
                );
                continue;
            }

            try
            {
                var stream = await storage
                    .GetAsync(item.Key, cancellationToken)
                    .ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    var manifest = await JsonSerializer
                        .DeserializeAsync(
                            stream,
                            ArchiveJsonContext.Default.BackupManifest,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    if (manifest is not null)
                    {
                        found.Add(manifest);
                    }
                }
            }
            catch (StoredObjectNotFoundException)
            {
                // Deleted between the listing and the read: gone, not broken.
            }
            catch (JsonException e)
            {
                ArchiveLog.ManifestSkipped(logger, item.Key, storage.Location, e.Message);
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return found;
    }
}
