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
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string? temp = Path.Combine(
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

            File.Move(temp, path, overwrite: true);
            temp = null;
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
            }
        }

        SyncFolder(folder);
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
