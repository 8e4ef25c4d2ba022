namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// Plans which archived binlogs carry a restored backup to a target, from their manifests alone.
/// File names repeat across servers and the files of an old and a new primary overlap, so a file is
/// chosen only by its GTID range: the next file must start at or before what is reached so far and
/// add something; among several, the one reaching furthest. A target the chain cannot reach is
/// refused in one line: a gap names where the archive breaks, a target outside the archive names
/// the recoverable window.
/// </summary>
public static class BinlogChain
{
    /// <param name="archived">Every archived binlog manifest (other flavours are ignored).</param>
    /// <param name="start">The restored backup's exact GTID position.</param>
    /// <param name="startAt">When the backup finished: the window's first point in time.</param>
    /// <param name="location">The storage, for messages.</param>
    public static BinlogChainPlan Plan(
        IEnumerable<BinlogManifest> archived,
        BinlogCoverage start,
        DateTimeOffset startAt,
        RestoreTarget target,
        string location
    )
    {
        ArgumentNullException.ThrowIfNull(archived);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(target);
        var files = archived.Where(m => m.Flavour == start.Flavour).ToList();

        switch (target)
        {
            case RestoreTarget.ToTime t when t.Time < startAt:
                return BinlogChainPlan.Refused(
                    start,
                    Window(files, start, startAt, target, location)
                );
            case RestoreTarget.ToGtid g when !g.Gtid.Contains(start):
                return BinlogChainPlan.Refused(
                    start,
                    Window(files, start, startAt, target, location)
                );
        }

        var (steps, reached) = Walk(files, start, target);
        var reachedTarget = target switch
        {
            RestoreTarget.ToTime t => steps.Count > 0 && steps[^1].File.LastEventAt >= t.Time,
            RestoreTarget.ToGtid g => reached.Contains(g.Gtid),
            _ => !files.Any(f => Adds(f, reached)),
        };
        if (reachedTarget)
        {
            return new BinlogChainPlan(steps, reached, null);
        }

        // Does the archive hold the target beyond where the chain broke? Then it is a gap.
        var beyond = target switch
        {
            RestoreTarget.ToTime t => files.Any(f => f.LastEventAt >= t.Time && Adds(f, reached)),
            RestoreTarget.ToGtid g => BinlogArchiveCatalog
                .Covered(files, start.Flavour)
                .Union(start)
                .Contains(g.Gtid),
            _ => true,
        };
        return BinlogChainPlan.Refused(
            start,
            beyond ? Gap(files, reached) : Window(files, start, startAt, target, location)
        );
    }

    private static (List<BinlogChainStep> Steps, BinlogCoverage Reached) Walk(
        List<BinlogManifest> files,
        BinlogCoverage start,
        RestoreTarget target
    )
    {
        var steps = new List<BinlogChainStep>();
        var reached = start;
        while (true)
        {
            if (target is RestoreTarget.ToGtid g && reached.Contains(g.Gtid))
            {
                break;
            }

            var candidates = files
                .Where(f => reached.Contains(f.Start) && Adds(f, reached))
                .ToList();
            if (candidates.Count == 0)
            {
                break;
            }

            var next = candidates
                .OrderByDescending(c => candidates.Count(d => c.End.Contains(d.End)))
                .First();
            steps.Add(new BinlogChainStep(next, reached));
            reached = reached.Union(next.End);
            if (target is RestoreTarget.ToTime t && next.LastEventAt >= t.Time)
            {
                break;
            }
        }

        return (steps, reached);
    }

    private static bool Adds(BinlogManifest file, BinlogCoverage reached) =>
        !reached.Contains(file.End);

    private static string Gap(List<BinlogManifest> files, BinlogCoverage reached)
    {
        var later = files.Where(f => Adds(f, reached)).ToList();
        // The file starting earliest: its start is within the most other starts.
        var next = later
            .OrderByDescending(f => later.Count(o => o.Start.Contains(f.Start)))
            .First();
        return $"the archive has no binlog from {reached} to {next.Start} ({next.File} of {next.Pod} starts there): cannot replay across it; restore to a point before {reached} or take a new full backup";
    }

    private static string Window(
        List<BinlogManifest> files,
        BinlogCoverage start,
        DateTimeOffset startAt,
        RestoreTarget target,
        string location
    )
    {
        var (steps, reached) = Walk(files, start, new RestoreTarget.Latest());
        if (target is RestoreTarget.ToGtid)
        {
            return $"{target} is outside the recoverable window {start} .. {reached} of {location}";
        }

        var end = steps.Count > 0 ? steps.Max(s => s.File.LastEventAt) : startAt;
        return $"{target} is outside the recoverable window {RestoreTarget.Format(startAt)} .. {RestoreTarget.Format(end)} of {location}";
    }
}
