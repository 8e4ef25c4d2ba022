using Microsoft.Extensions.Logging;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive;

/// <summary>
/// The backups in a storage: read only from manifests, so a data object whose upload never got its
/// manifest (a cut or failed backup) is not a backup. Oldest first.
/// </summary>
public static class BackupCatalog
{
    public static Task<IReadOnlyList<BackupManifest>> ListAsync(
        IBackupStorage storage,
        ILogger logger,
        CancellationToken cancellationToken
    ) => ListSinceAsync(storage, null, logger, cancellationToken);

    /// <summary>
    /// The backups whose id (its start time first) is at or after <paramref name="since"/>: only
    /// their manifests are read, so a check for a recent backup costs one listing and a few reads
    /// however many backups the storage keeps. Null: every backup.
    /// </summary>
    public static async Task<IReadOnlyList<BackupManifest>> ListSinceAsync(
        IBackupStorage storage,
        DateTimeOffset? since,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var from = since is { } time
            ? time.UtcDateTime.ToString(
                "yyyyMMdd'T'HHmmss'Z'",
                System.Globalization.CultureInfo.InvariantCulture
            )
            : "";
        var found = await ManifestListing
            .ReadAllAsync(
                storage,
                BackupKeys.Root,
                key =>
                    BackupKeys.IdOfManifest(key) is { } id && string.CompareOrdinal(id, from) >= 0,
                ArchiveJsonContext.Default.BackupManifest,
                logger,
                cancellationToken
            )
            .ConfigureAwait(false);
        found.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return found;
    }
}
