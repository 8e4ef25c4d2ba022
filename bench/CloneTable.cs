namespace MysqlBench;

/// <summary>The issue's table: one row per link, datadir MB/s per method (median), ready for docs/reference/performance.md.</summary>
internal static class CloneTable
{
    public static void Print(
        TextWriter log,
        IReadOnlyList<CloneMethodResult> clone,
        MachineInfo machine
    )
    {
        if (clone.Count == 0)
        {
            return;
        }

        log.WriteLine(
            $"\nClone throughput, datadir MB/s, median of each method's runs (load average {machine.LoadAverageBefore} before, {machine.LoadAverageAfter} after):\n"
        );
        log.WriteLine(
            "| link | example (ncat) | agent, none | agent, lz4 | agent, zstd | raw link limit |"
        );
        log.WriteLine("|---|---|---|---|---|---|");
        foreach (var group in clone.GroupBy(c => c.Link))
        {
            string Cell(Func<CloneMethodResult, bool> match) =>
                group.FirstOrDefault(match) is { } c
                    ? $"{Goals.F(c.MbPerSecond, 0)} MB/s ({Goals.F(c.MedianSeconds, 2)} s)"
                    : "-";

            var limit = group.Any(c => c.Method == "local limit")
                ? "local limit " + Cell(c => c.Method == "local limit")
                : Cell(c => c.Method == "raw link limit");
            log.WriteLine(
                $"| {group.Key} | {Cell(c => c.Method.StartsWith("example", StringComparison.Ordinal))} | {Cell(c => c.Method == "mysql-agent, none")} | {Cell(c => c.Method == "mysql-agent, lz4")} | {Cell(c => c.Method.StartsWith("mysql-agent, zstd", StringComparison.Ordinal))} | {limit} |"
            );
        }
    }
}
