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
    private const int ParallelReads = 16;

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
        var keys = new List<string>();
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

            keys.Add(item.Key);
        }

        // An archive holds a manifest per binlog (one a minute on a busy primary): read them side
        // by side, so that a new primary's first look at a month of archive takes seconds.
        var read = new T?[keys.Count];
        await Parallel
            .ForAsync(
                0,
                keys.Count,
                new ParallelOptions
                {
                    MaxDegreeOfParallelism = ParallelReads,
                    CancellationToken = cancellationToken,
                },
                async (i, token) =>
                    read[i] = await ReadOneAsync(storage, keys[i], typeInfo, logger, token)
                        .ConfigureAwait(false)
            )
            .ConfigureAwait(false);
        var found = read.OfType<T>().ToList();
        return found;
    }

    private static async Task<T?> ReadOneAsync<T>(
        IBackupStorage storage,
        string key,
        JsonTypeInfo<T> typeInfo,
        ILogger logger,
        CancellationToken cancellationToken
    )
        where T : class
    {
        try
        {
            var stream = await storage.GetAsync(key, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer
                    .DeserializeAsync(stream, typeInfo, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (StoredObjectNotFoundException)
        {
            // Deleted between the listing and the read: gone, not broken.
            return null;
        }
        catch (JsonException e)
        {
            ArchiveLog.ManifestSkipped(logger, key, storage.Location, e.Message);
            return null;
        }
    }
}
