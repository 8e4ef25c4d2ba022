using System.Globalization;

namespace MysqlAgent.Clone;

/// <summary>
/// The datadirs that re-clones moved aside, beside the datadir as <c>&lt;datadir&gt;.errant-&lt;UTC time&gt;</c>:
/// at most <c>--keep-errant-datadirs</c> of them, and never one that would leave the fresh clone
/// without room on the volume.
/// </summary>
/// <remarks>
/// The room rule: the fresh clone is about the size of the datadir it replaces (the same set's data,
/// less the errant writes), and <c>--prepare</c> and the catch-up after it need some more, so a copy
/// is moved aside only while the volume has its size plus a tenth free, counting what deleting the
/// copies beyond the bound frees. Otherwise nothing is changed and the clone fails with a message
/// naming the fix: a datadir holding writes no other pod has is never deleted unless
/// <c>--keep-errant-datadirs 0</c> says so. The rename comes before any deletion of the new copy,
/// so a crash leaves an empty datadir and a copy the next re-clone counts among the old ones,
/// never a half-deleted datadir.
/// </remarks>
/// <param name="keep">How many copies to keep at most, the new one included; 0 keeps none.</param>
/// <param name="availableBytes">The bytes free for this process on the volume holding a path.</param>
public sealed class ErrantDataDirs(int keep, Func<string, long> availableBytes)
{
    /// <summary>What <c>statfs(2)</c> says is free for an unprivileged process on the path's file system.</summary>
    public static long AvailableBytesOn(string path) => new DriveInfo(path).AvailableFreeSpace;

    /// <summary>The bytes a fresh clone of a datadir of <paramref name="dataDirBytes"/> needs free.</summary>
    public static long RoomNeeded(long dataDirBytes) => dataDirBytes + (dataDirBytes / 10);

    /// <summary>
    /// Deletes the copies beyond the bound, oldest first, renames the whole datadir aside and puts
    /// an empty one in its place; with a bound of 0 the new copy is deleted too.
    /// </summary>
    /// <exception cref="RecloneException">
    /// The volume lacks room to keep the copy and clone beside it, or the rename failed (e.g. the
    /// datadir is a mount point); nothing was changed.
    /// </exception>
    public ErrantMoveAside MoveAside(string dataDir, DateTimeOffset at)
    {
        var size = SizeOf(dataDir);
        var aside = RecloneRequest.AsidePath(dataDir, at);
        var old = CopiesOf(dataDir);
        // The new copy counts toward the bound: keep - 1 old ones stay (none with keep 0).
        var beyond = old.Take(Math.Max(old.Count + 1 - keep, 0)).ToList();
        var free = availableBytes(Path.GetDirectoryName(aside)!) + beyond.Sum(SizeOf);
        if (keep > 0 && free < RoomNeeded(size))
        {
            throw new RecloneException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"cannot keep {dataDir} ({size} bytes, with writes no other pod has) aside and clone beside it: the volume has {free} bytes free{(beyond.Count > 0 ? " counting the older copies the bound would delete" : "")}, a fresh clone needs {RoomNeeded(size)}; nothing was changed. Grow the volume, move the old copies off it, or let the re-clone delete the datadir with --keep-errant-datadirs 0"
                )
            );
        }

        try
        {
            Directory.Move(dataDir, aside);
        }
        catch (IOException e)
        {
            throw new RecloneException(
                $"cannot move {dataDir} aside to {aside} ({e.Message}): the clone container must mount the volume above the datadir, as the manifests do; nothing was changed",
                e
            );
        }

        Directory.CreateDirectory(dataDir);
        foreach (var copy in beyond)
        {
            DataDirState.Delete(copy);
        }

        if (keep == 0)
        {
            DataDirState.Delete(aside);
        }

        return new ErrantMoveAside(aside, size, Kept: keep > 0, beyond);
    }

    /// <summary>The copies moved aside beside <paramref name="dataDir"/>, oldest first (their names end in a sortable UTC time).</summary>
    public static IReadOnlyList<string> CopiesOf(string dataDir)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir));
        var parent = Path.GetDirectoryName(full)!;
        var prefix = Path.GetFileName(full) + RecloneRequest.AsideInfix;
        return Directory
            .EnumerateDirectories(parent, prefix + "*")
            .Where(d => new DirectoryInfo(d).LinkTarget is null)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The bytes of every file under the folder, symbolic links not followed.</summary>
    public static long SizeOf(string folder) =>
        new DirectoryInfo(folder)
            .EnumerateFiles(
                "*",
                new EnumerationOptions
                {
                    RecurseSubdirectories = true,
                    AttributesToSkip = FileAttributes.ReparsePoint,
                    IgnoreInaccessible = true,
                }
            )
            .Sum(f => f.Length);
}
