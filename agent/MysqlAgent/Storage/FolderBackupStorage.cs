using System.Buffers;
using System.Runtime.CompilerServices;

namespace MysqlAgent.Storage;

/// <summary>
/// Backup storage in a folder (a mounted volume, NFS, a test's temp dir). A put writes a temp file in
/// <see cref="IncomingFolder"/> of the same file system, flushes it to disk and renames it into place,
/// so a reader sees the whole object or none; a failed put deletes its temp file.
/// </summary>
public sealed class FolderBackupStorage : IBackupStorage
{
    /// <summary>Temp files of puts in progress; never listed.</summary>
    public const string IncomingFolder = ".incoming";

    private const int CopyBuffer = 1 << 20;

    private readonly string _root;

    public FolderBackupStorage(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Location => "file:" + _root;

    public async Task PutAsync(
        string key,
        Stream content,
        long? expectedBytes,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(content);
        var target = PathOf(key);
        var incoming = Path.Combine(_root, IncomingFolder);
        try
        {
            Directory.CreateDirectory(incoming);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupStorageException(
                $"cannot create folders in {Location} ({e.Message}); check that it is mounted and writable",
                e
            );
        }

        var temp = Path.Combine(incoming, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            await WriteTempAsync(key, temp, content, cancellationToken).ConfigureAwait(false);
            Storing(key, () => File.Move(temp, target, overwrite: true));
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The source's own errors pass through unchanged; only the folder's become storage errors.</summary>
    private async Task WriteTempAsync(
        string key,
        string temp,
        Stream content,
        CancellationToken cancellationToken
    )
    {
        var file = Storing(
            key,
            () =>
                new FileStream(
                    temp,
                    new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew,
                        Access = FileAccess.Write,
                        BufferSize = 0,
                        Options = FileOptions.Asynchronous,
                    }
                )
        );
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBuffer);
        try
        {
            await using (file.ConfigureAwait(false))
            {
                int read;
                while (
                    (
                        read = await content
                            .ReadAsync(buffer.AsMemory(0, CopyBuffer), cancellationToken)
                            .ConfigureAwait(false)
                    ) > 0
                )
                {
                    try
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken)
                            .ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw WriteFailed(key, e);
                    }
                }

                Storing(key, () => file.Flush(flushToDisk: true));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private T Storing<T>(string key, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(key, e);
        }
    }

    private void Storing(string key, Action action) =>
        Storing(
            key,
            () =>
            {
                action();
                return 0;
            }
        );

    private BackupStorageException WriteFailed(string key, Exception e) =>
        new($"cannot write '{key}' in {Location} ({e.Message})", e);

    public Task<Stream> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            Stream stream = new FileStream(
                path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.Read,
                CopyBuffer,
                FileOptions.Asynchronous | FileOptions.SequentialScan
            );
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StoredObjectNotFoundException(Location, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupStorageException($"cannot read '{key}' in {Location} ({e.Message})", e);
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(
        string prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await Task.CompletedTask.ConfigureAwait(false);
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        var found = new List<StoredObject>();
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
        };
        foreach (var path in Directory.EnumerateFiles(_root, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (
                key.StartsWith(IncomingFolder + "/", StringComparison.Ordinal)
                || !key.StartsWith(prefix, StringComparison.Ordinal)
            )
            {
                continue;
            }

            found.Add(new StoredObject(key, new FileInfo(path).Length));
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var item in found)
        {
            yield return item;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            File.Delete(PathOf(key));
        }
        catch (DirectoryNotFoundException) { }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupStorageException(
                $"cannot delete '{key}' in {Location} ({e.Message})",
                e
            );
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key) =>
        Path.Combine(_root, StorageKey.Validate(key).Replace('/', Path.DirectorySeparatorChar));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next put in a fresh temp name is unaffected; the folder is never listed.
        }
    }
}
