namespace MysqlInit;

/// <summary>
/// Replaces a file so that a reader sees the old bytes or the new ones, never a mix: write a temp
/// file in the same folder, flush it to disk, rename it over the target (rename(2) is atomic within
/// a file system).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Temp files carry this prefix so that a run can sweep what a killed run left.</summary>
    public const string TempPrefix = ".mysql-init-";
    public const string TempSuffix = ".tmp";

    private const UnixFileMode ReadableByAll =
        UnixFileMode.UserRead
        | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead
        | UnixFileMode.OtherRead;

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

    /// <summary>Leaves an identical file alone, so its mtime says when its content last changed.</summary>
    public static FileOutcome WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        if (HasContent(path, content))
        {
            return FileOutcome.Unchanged;
        }

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
            if (!OperatingSystem.IsWindows())
            {
                // Fixed rather than umask-dependent: mysqld runs as another user and must read it.
                options.UnixCreateMode = ReadableByAll;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            temp = null;
            return FileOutcome.Written;
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
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
}
