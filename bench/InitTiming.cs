namespace MysqlBench;

internal sealed record InitResult(
    long BinaryBytes,
    int Runs,
    double MedianMilliseconds,
    double MinMilliseconds,
    double SpawnBaselineMedianMilliseconds,
    double NetMedianMilliseconds,
    long PeakRssBytes
);

/// <summary>mysql-init as the init container runs it (writes server-id.cnf and the role's cnf), timed from outside as a whole process.</summary>
internal static class InitTiming
{
    public const string Includes =
        "whole process: spawn (from .NET, CliWrap) to exit of mysql-init --hostname mysql-1 writing server-id.cnf and replica.cnf; baseline = the same spawn of /bin/true";

    public static async Task<InitResult> RunAsync(
        BenchOptions options,
        Workspace work,
        CancellationToken ct
    )
    {
        var configMap = work.NewPath("config-map");
        var confDir = work.NewPath("conf.d");
        Directory.CreateDirectory(configMap);
        Directory.CreateDirectory(confDir);
        await File.WriteAllTextAsync(
                Path.Combine(configMap, "primary.cnf"),
                "[mysqld]\nlog-bin\n",
                ct
            )
            .ConfigureAwait(false);
        await File.WriteAllTextAsync(
                Path.Combine(configMap, "replica.cnf"),
                "[mysqld]\nread-only\n",
                ct
            )
            .ConfigureAwait(false);
        string[] args =
        [
            "--hostname",
            "mysql-1",
            "--config-map-dir",
            configMap,
            "--conf-dir",
            confDir,
        ];

        var init = new List<double>();
        var baseline = new List<double>();
        long peak = 0;
        for (var i = -3; i < options.InitRuns; i++)
        {
            var run = await Processes.RunAsync(options.InitPath, args, ct).ConfigureAwait(false);
            if (i >= 0)
            {
                init.Add(run.Elapsed.TotalMilliseconds);
            }

            var t = await Processes.RunAsync("/bin/true", [], ct).ConfigureAwait(false);
            if (i >= 0)
            {
                baseline.Add(t.Elapsed.TotalMilliseconds);
            }
        }

        // Peak memory of one run, from the kernel's own accounting of a finished child.
        var measured = await Processes
            .BashAsync(
                $"/usr/bin/time -f %M {Processes.Quote(options.InitPath)} {string.Join(' ', args.Select(Processes.Quote))} 2>&1 >/dev/null | tail -n 1",
                ct,
                check: false
            )
            .ConfigureAwait(false);
        if (
            long.TryParse(
                measured.Output.Trim(),
                System.Globalization.CultureInfo.InvariantCulture,
                out var kb
            )
        )
        {
            peak = kb * 1024;
        }

        var median = Stats.Median(init);
        var baseMedian = Stats.Median(baseline);
        return new InitResult(
            new FileInfo(options.InitPath).Length,
            init.Count,
            median,
            init.Min(),
            baseMedian,
            Math.Max(0, median - baseMedian),
            peak
        );
    }
}
