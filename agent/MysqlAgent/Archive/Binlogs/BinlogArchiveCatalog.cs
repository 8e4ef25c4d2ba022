using Microsoft.Extensions.Logging;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// The archived binlogs in a storage, read only from their manifests (a file whose manifest was
/// never written was never archived), in the order they were archived.
/// </summary>
public static class BinlogArchiveCatalog
{
    public static async Task<IReadOnlyList<BinlogManifest>> ListAsync(
        IBackupStorage storage,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var found = await ManifestListing
            .ReadAllAsync(
                storage,
                BinlogKeys.Root,
                key => BinlogKeys.IdOfManifest(key) is not null,
                ArchiveJsonContext.Default.BinlogManifest,
                logger,
                cancellationToken
            )
            .ConfigureAwait(false);
        found.Sort(
            (a, b) =>
                a.ArchivedAt != b.ArchivedAt
                    ? a.ArchivedAt.CompareTo(b.ArchivedAt)
                    : string.CompareOrdinal(a.Id, b.Id)
        );
        return found;
    }

    /// <summary>Everything the archive holds: the union of its files' end positions.</summary>
    public static BinlogCoverage Covered(IEnumerable<BinlogManifest> archived, string flavour)
    {
        ArgumentNullException.ThrowIfNull(archived);
        var covered = BinlogCoverage.Empty(flavour);
        foreach (var manifest in archived.Where(m => m.Flavour == flavour))
        {
            covered = covered.Union(manifest.End);
        }

        return covered;
    }
}
