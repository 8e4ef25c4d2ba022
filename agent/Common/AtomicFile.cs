using System.Runtime.InteropServices;
using System.Text;

namespace MysqlAgent.Common;

/// <summary>
/// Replaces a file so that a reader sees the old bytes or the new ones, never a mix, and a power cut
/// after it returns cannot lose it: write a temp file in the same folder, flush it to disk, rename it
/// over the target (rename(2) is atomic within a file system), then fsync the folder so that the
/// rename itself is on disk. One source, compiled into mysql-init, mysql-agent and mysql-local
/// (linked, so mysql-init keeps to the base class library).
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>Temp files carry this prefix so that a run can sweep what a killed run left.</summary>
    public const string TempPrefix = ".tmp-";
    public const string TempSuffix = ".tmp";

    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC, the same on x64 and arm64
    private const int InvalidArgument = 22; // EINVAL: the file system cannot sync folders

    public static bool HasContent(string path, ReadOnlySpan<byte> content)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists
                && info.Length == content.Length
                && File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable counts as different: the write that follows reports the real problem.
            return false;
        }
    }

    /// <summary>Leaves an identical file alone, so its mtime says when its content last changed; true when it wrote.</summary>
    public static bool WriteIfChanged(
        string path,
        ReadOnlySpan<byte> content,
        UnixFileMode? mode = null
    )
    {
        if (HasContent(path, content))
        {
            return false;
        }

        Write(path, content, mode);
        return true;
    }

    public static void Write(string path, string content, UnixFileMode? mode = null) =>
        Write(path, Encoding.UTF8.GetBytes(content), mode);

    /// <param name="mode">The new file's permissions, fixed rather than umask-dependent; null for the umask's.</param>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        using var staged = Stage(path, content, mode);
        staged.Commit();
        staged.SyncFolder();
    }

    /// <summary>
    /// The slow half of <see cref="Write(string, ReadOnlySpan{byte}, UnixFileMode?)"/> alone: the
    /// content in a temp file beside <paramref name="path"/>, flushed to disk. <see cref="Staged.Commit"/>
    /// renames it over the target; disposing an uncommitted one deletes it. For a caller that decides
    /// under a lock whether to replace the file, so that the lock is held for a rename, not a flush.
    /// </summary>
    public static Staged Stage(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(
            folder,
            $"{TempPrefix}{Path.GetFileName(path)}-{Path.GetRandomFileName()}{TempSuffix}"
        );
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (mode is { } fixedMode && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = fixedMode;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            return new Staged(path, folder, temp);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>A flushed temp file waiting to replace its target (<see cref="Stage"/>).</summary>
    public sealed class Staged : IDisposable
    {
        private readonly string _path;
        private readonly string _folder;
        private string? _temp;

        internal Staged(string path, string folder, string temp)
        {
            _path = path;
            _folder = folder;
            _temp = temp;
        }

        /// <summary>Renames the temp file over the target: readers see the new bytes from now on.</summary>
        public void Commit()
        {
            File.Move(
                _temp ?? throw new InvalidOperationException("already committed"),
                _path,
                overwrite: true
            );
            _temp = null;
        }

        /// <summary>Flushes the rename to disk (fsync of the folder).</summary>
        public void SyncFolder() => AtomicFile.SyncFolder(_folder);

        public void Dispose()
        {
            if (_temp is not null)
            {
                TryDelete(_temp);
                _temp = null;
            }
        }
    }

    /// <summary>Removes temp files of an earlier run that was killed between create and rename.</summary>
    public static void SweepLeftovers(string folder)
    {
        foreach (var leftover in Directory.EnumerateFiles(folder, $"{TempPrefix}*{TempSuffix}"))
        {
            File.Delete(leftover);
        }
    }

    /// <summary>fsync(2) on the folder: without it a power cut may forget the rename, and the marker with it.</summary>
    private static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // .NET opens no handle on a folder, hence open(2) itself.
        var fd = Open(folder, ReadOnlyCloseOnExec);
        if (fd < 0)
        {
            throw new IOException(
                $"cannot open folder {folder} to flush a rename to disk (errno {Marshal.GetLastPInvokeError()})"
            );
        }

        try
        {
            if (
                Fsync(fd) != 0
                && Marshal.GetLastPInvokeError() is var errno and not InvalidArgument
            )
            {
                throw new IOException(
                    $"cannot flush folder {folder} to disk after a rename (errno {errno})"
                );
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write's own failure is the one to report.
        }
    }

    [LibraryImport(
        "libc",
        EntryPoint = "open",
        SetLastError = true,
        StringMarshalling = StringMarshalling.Utf8
    )]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
