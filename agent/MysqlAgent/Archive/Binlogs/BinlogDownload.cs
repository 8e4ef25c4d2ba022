using MysqlAgent.Storage;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>Fetches archived binlogs to a local folder, each checked against its manifest's size and XXH128.</summary>
public static class BinlogDownload
{
    /// <returns>The local path of the file.</returns>
    /// <exception cref="RestoreFailedException">The stored file differs from its manifest.</exception>
    public static async Task<string> FetchAsync(
        IBackupStorage storage,
        BinlogManifest manifest,
        string folder,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(manifest);
        // Names repeat across servers: the id keeps two mysql-bin.000001 apart.
        var path = Path.Combine(folder, manifest.Id + "-" + Path.GetFileName(manifest.File));
        var body = new ReadHashingStream(
            await storage.GetAsync(manifest.DataKey, cancellationToken).ConfigureAwait(false)
        );
        await using (body.ConfigureAwait(false))
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            await using (file.ConfigureAwait(false))
            {
                await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            await body.DrainAsync(cancellationToken).ConfigureAwait(false);
            if (body.Bytes != manifest.Bytes || body.Xxh128 != manifest.Xxh128)
            {
                throw new RestoreFailedException(
                    $"archived binlog {manifest.File} of {manifest.Pod} ({manifest.DataKey}) differs from its manifest: {body.Bytes} bytes, xxh128 {body.Xxh128}, expected {manifest.Bytes} bytes, xxh128 {manifest.Xxh128}"
                );
            }
        }

        return path;
    }
}
