using Microsoft.Extensions.Logging;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive;

/// <summary>
/// The backups in a storage: read only from manifests, so a data object whose upload never got its
/// manifest (a cut or failed backup) is not a backup. Oldest first.
/// </summary>
public static class BackupCatalog
{
    public static async Task<IReadOnlyList<BackupManifest>> ListAsync(
        IBackupStorage storage,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var found = await ManifestListing
            .ReadAllAsync(
                storage,
                BackupKeys.Root,
                key => BackupKeys.IdOfManifest(key) is not null,
                ArchiveJsonContext.Default.BackupManifest,
                logger,
                cancellationToken
            )
            .ConfigureAwait(false);
        found.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return found;
    }
}
