using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive;

/// <summary>
/// Reads every manifest under a prefix of a storage. A data object whose manifest was never
/// written does not exist; an unreadable manifest is skipped with a warning (event 6003); one
/// deleted between the listing and the read is gone, not broken.
/// </summary>
internal static class ManifestListing
{
    private const int MaxManifestBytes = 1 << 20;

    public static async Task<List<T>> ReadAllAsync<T>(
        IBackupStorage storage,
        string prefix,
        Func<string, bool> isManifest,
        JsonTypeInfo<T> typeInfo,
        ILogger logger,
        CancellationToken cancellationToken
    )
        where T : class
    {
        ArgumentNullException.ThrowIfNull(storage);
        var found = new List<T>();
        await foreach (
            var item in storage.ListAsync(prefix, cancellationToken).ConfigureAwait(false)
        )
        {
            if (!isManifest(item.Key))
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
                    if (
                        await JsonSerializer
                            .DeserializeAsync(stream, typeInfo, cancellationToken)
                            .ConfigureAwait(false) is
                        { } manifest
                    )
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

        return found;
    }
}
