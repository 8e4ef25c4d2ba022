namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// The archiver's decisions, with no I/O: which local files are closed and where each ends, when
/// to force a rotation, and whether a closed file goes up (it holds a transaction the archive
/// lacks) and whether it leaves a gap (the archive lacks some of what came before it).
/// </summary>
public static class BinlogArchivePlan
{
    /// <summary>Every file but the last (the one being written), each ending where the next starts.</summary>
    public static IReadOnlyList<ClosedBinlog> Closed(IReadOnlyList<LocalBinlog> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var closed = new List<ClosedBinlog>();
        for (var i = 0; i + 1 < files.Count; i++)
        {
            closed.Add(new ClosedBinlog(files[i], files[i + 1].Start));
        }

        return closed;
    }

    /// <summary>
    /// Rotate when the active file holds a transaction (the server has written beyond the file's
    /// start) and either the caller forces it or the file has been open for the interval: a quiet
    /// server's newest transactions are then archived within about one interval.
    /// </summary>
    public static bool ShouldRotate(
        LocalBinlog active,
        DateTimeOffset activeOpenedAt,
        BinlogCoverage written,
        DateTimeOffset now,
        TimeSpan interval,
        bool force
    )
    {
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(written);
        var due = force || (interval > TimeSpan.Zero && now - activeOpenedAt >= interval);
        return due && !active.Start.Contains(written);
    }

    /// <summary>Whether the archive lacks something this file holds.</summary>
    public static bool Adds(ClosedBinlog file, BinlogCoverage archived)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(archived);
        return !archived.Contains(file.End);
    }

    /// <summary>
    /// Whether the archive lacks something written before this file (a file purged before it was
    /// archived, a server whose archive starts late): a restore cannot replay across that.
    /// An empty archive has no gap, it just starts here.
    /// </summary>
    public static bool LeavesGap(ClosedBinlog file, BinlogCoverage archived)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(archived);
        return !archived.IsEmpty && !archived.Contains(file.File.Start);
    }
}
