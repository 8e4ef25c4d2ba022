namespace MysqlBench;

/// <summary>The backup figures against issue 28's goals, and their table for docs/reference/performance.md.</summary>
internal static class BackupGoals
{
    /// <summary>A backup streams the datadir at least this fast, relative to the agent's clone of it.</summary>
    public const double BackupVsClone = 0.9;

    public static List<GoalCheck> Check(BackupFigures figures)
    {
        var clone = figures.AgentClone;
        var checks = new List<GoalCheck>
        {
            new(
                $"{figures.Link}: clone in turns with the backups, {clone.Method}",
                $"{Goals.F(clone.MbPerSecond, 0)} MB/s ({Goals.F(clone.MedianSeconds, 2)} s)",
                "",
                null,
                $"median of {clone.Seconds.Count}, {Range(clone.Seconds)}"
            ),
        };
        foreach (var b in figures.Backups)
        {
            var ratio = b.MbPerSecond / clone.MbPerSecond;
            checks.Add(
                new(
                    $"{figures.Link}: backup to {b.Target} / clone",
                    $"{Goals.F(ratio, 2)}x ({Goals.F(b.MbPerSecond, 0)} MB/s)",
                    $">= {Goals.F(BackupVsClone, 2)}x",
                    ratio >= BackupVsClone,
                    $"median of {b.Seconds.Count}, {Range(b.Seconds)}; stored {Goals.Mb(b.StoredBytes)}"
                )
            );
        }

        if (figures.Restore is { } r)
        {
            checks.Add(
                new(
                    $"{figures.Link}: restore --latest from the folder / clone time",
                    $"{Goals.F(r.TotalSeconds / clone.MedianSeconds, 2)}x ({Goals.F(r.TotalSeconds, 2)} s)",
                    "",
                    null,
                    $"download+extract+verify {Goals.F(r.DownloadExtractVerifySeconds, 2)} s, prepare {Goals.F(r.PrepareSeconds, 2)} s, binlog replay {Goals.F(r.BinlogReplaySeconds, 2)} s ({r.BinlogsReplayed} binlogs, {r.RowsReplayed} rows); one run"
                )
            );
        }

        return checks;
    }

    public static void PrintTable(TextWriter log, BackupFigures figures, MachineInfo machine)
    {
        var clone = figures.AgentClone;
        log.WriteLine(
            $"\nBackup throughput, datadir MB/s, median (min-max) of {clone.Seconds.Count} runs in turns with the agent's clone (load average {machine.LoadAverageBefore} before, {machine.LoadAverageAfter} after):\n"
        );
        log.WriteLine("| link | method | MB/s | seconds | stored | / clone (goal >= 0.90x) |");
        log.WriteLine("|---|---|---|---|---|---|");
        log.WriteLine(
            $"| {figures.Link} | clone, {Goals.DefaultCompression} | {Goals.F(clone.MbPerSecond, 0)} ({MbRange(clone.Seconds, figures)}) | {Goals.F(clone.MedianSeconds, 2)} | {Goals.Mb(clone.ResultDataDirBytes)} (datadir) | 1.00x |"
        );
        foreach (var b in figures.Backups)
        {
            log.WriteLine(
                $"| {figures.Link} | backup, {b.Target} | {Goals.F(b.MbPerSecond, 0)} ({MbRange(b.Seconds, figures)}) | {Goals.F(b.MedianSeconds, 2)} | {Goals.Mb(b.StoredBytes)} | {Goals.F(b.MbPerSecond / clone.MbPerSecond, 2)}x |"
            );
        }

        if (figures.Restore is { } r)
        {
            log.WriteLine(
                "\n| link | restore --latest | download+extract+verify | prepare | binlog replay | clone |"
            );
            log.WriteLine("|---|---|---|---|---|---|");
            log.WriteLine(
                $"| {figures.Link} | {Goals.F(r.TotalSeconds, 2)} s | {Goals.F(r.DownloadExtractVerifySeconds, 2)} s | {Goals.F(r.PrepareSeconds, 2)} s | {Goals.F(r.BinlogReplaySeconds, 2)} s ({r.BinlogsReplayed} binlogs, {r.RowsReplayed} rows) | {Goals.F(clone.MedianSeconds, 2)} s |"
            );
        }
    }

    private static string Range(IReadOnlyList<double> seconds) =>
        seconds.Count == 0
            ? "no runs"
            : $"{Goals.F(seconds.Min(), 2)}-{Goals.F(seconds.Max(), 2)} s";

    /// <summary>The MB/s range of the runs: the slowest run's rate to the fastest's.</summary>
    private static string MbRange(IReadOnlyList<double> seconds, BackupFigures figures)
    {
        if (seconds.Count == 0)
        {
            return "-";
        }

        var mb = DatadirMb(figures);
        return $"{Goals.F(mb / seconds.Max(), 0)}-{Goals.F(mb / seconds.Min(), 0)}";
    }

    /// <summary>The donor's datadir MB, as every rate is figured: back from the clone's median rate.</summary>
    private static double DatadirMb(BackupFigures figures) =>
        figures.AgentClone.MbPerSecond * figures.AgentClone.MedianSeconds;
}
