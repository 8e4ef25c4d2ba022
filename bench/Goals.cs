using System.Globalization;

namespace MysqlBench;

/// <summary>The project's goals, checked against one run's figures.</summary>
internal static class Goals
{
    public const double CloneVsLocal = 0.95;
    public const double CloneVsExample = 1.0;
    public const double CloneVsExampleOnLink = 1.5;

    /// <summary>The agent's default --stream-compression (StreamCompression.Default).</summary>
    public const string DefaultCompression = "zstd";
    public const double ReplicationSeconds = 0.5;
    public const long InitBytes = 5_000_000;
    public const double InitMilliseconds = 10;
    public const long IdleRssBytes = 60_000_000;
    public const long StreamingRssAboveIdleBytes = 30_000_000;

    public static List<GoalCheck> Check(
        IReadOnlyList<CloneMethodResult> clone,
        StreamingMemory? streaming,
        IReadOnlyList<ReplicationMethodResult> replication,
        InitResult? init,
        IdleFootprint? idle,
        StartupResult? startup
    )
    {
        var checks = new List<GoalCheck>();
        foreach (var group in clone.GroupBy(c => c.Link))
        {
            CheckClone(checks, group.Key, group.ToList());
        }

        foreach (var r in replication)
        {
            var isAgent = r.Method == "mysql-agent";
            checks.Add(
                new(
                    $"replication running after mysqld answers, {r.Method}",
                    $"{F(r.MedianSeconds, 3)} s",
                    isAgent ? $"<= {F(ReplicationSeconds, 1)} s" : "",
                    isAgent ? r.MedianSeconds <= ReplicationSeconds : null,
                    $"median of {r.Seconds.Count}"
                )
            );
        }

        if (init is not null)
        {
            checks.Add(
                new(
                    "mysql-init binary",
                    $"{F(init.BinaryBytes / 1e6, 2)} MB",
                    $"<= {F(InitBytes / 1e6, 0)} MB",
                    init.BinaryBytes <= InitBytes,
                    ""
                )
            );
            checks.Add(
                new(
                    "mysql-init run (whole process)",
                    $"{F(init.MedianMilliseconds, 1)} ms",
                    $"<= {F(InitMilliseconds, 0)} ms",
                    init.MedianMilliseconds <= InitMilliseconds,
                    $"median of {init.Runs}; spawning /bin/true the same way: {F(init.SpawnBaselineMedianMilliseconds, 1)} ms; peak RSS {Mb(init.PeakRssBytes)}"
                )
            );
        }

        if (idle is not null)
        {
            checks.Add(
                new(
                    "agent idle RSS (serve, 10 s after start)",
                    Mb(idle.RssBytes),
                    $"<= {Mb(IdleRssBytes)}",
                    idle.RssBytes <= IdleRssBytes,
                    ""
                )
            );
            checks.Add(
                new(
                    "agent idle CPU",
                    $"{F(idle.IdleCpuPercent, 2)} % of a core",
                    "",
                    null,
                    $"over {F(idle.IdleWindowSeconds, 0)} s; {F(idle.CpuSecondsAtStart, 2)} CPU s used in the first 10 s"
                )
            );
        }

        if (streaming is not null && idle is not null)
        {
            var peak = Math.Max(
                streaming.DonorPeakRssSampledBytes,
                streaming.DonorPeakVmHwmBytes ?? 0
            );
            checks.Add(
                new(
                    "agent peak RSS while streaming (donor serve)",
                    Mb(peak),
                    $"<= idle + {Mb(StreamingRssAboveIdleBytes)} = {Mb(idle.RssBytes + StreamingRssAboveIdleBytes)}",
                    peak <= idle.RssBytes + StreamingRssAboveIdleBytes,
                    $"sampled every 50 ms: {Mb(streaming.DonorPeakRssSampledBytes)}, VmHWM: {(streaming.DonorPeakVmHwmBytes is { } h ? Mb(h) : "n/a")}"
                )
            );
            checks.Add(
                new(
                    "agent peak RSS while receiving (clone)",
                    Mb(streaming.ClonePeakRssSampledBytes),
                    "",
                    null,
                    "sampled every 50 ms"
                )
            );
            checks.Add(
                new(
                    "agent CPU per clone (donor serve + clone)",
                    $"{F(streaming.DonorAgentCpuSecondsPerClone, 2)} s + {F(streaming.CloneAgentCpuSecondsPerClone, 2)} s",
                    "",
                    null,
                    "user+sys of the two agent processes only (not mariabackup/mbstream); the clone's from its last 50 ms sample; median"
                )
            );
        }

        if (startup is not null)
        {
            checks.Add(
                new(
                    "agent start-up to /healthz",
                    $"{F(startup.MedianFirstAnswerSeconds * 1000, 0)} ms",
                    "",
                    null,
                    $"first answer; 200 after {F(startup.MedianHealthyOkSeconds * 1000, 0)} ms; median of {startup.FirstAnswerSeconds.Count}"
                )
            );
        }

        return checks;
    }

    public static string F(double value, int decimals) =>
        value.ToString(
            "F" + decimals.ToString(CultureInfo.InvariantCulture),
            CultureInfo.InvariantCulture
        );

    public static string Mb(long bytes) => F(bytes / 1e6, 1) + " MB";

    private static void CheckClone(
        List<GoalCheck> checks,
        string link,
        IReadOnlyList<CloneMethodResult> clone
    )
    {
        // The loopback goal is with compression off; the link goals with the default compression.
        var agent = clone.FirstOrDefault(c => c.Method == "mysql-agent, none");
        var agentDefault = clone.FirstOrDefault(c =>
            c.Method == $"mysql-agent, {DefaultCompression}"
        );
        var raw = clone.FirstOrDefault(c => c.Method == "raw link limit");
        var example = clone.FirstOrDefault(c =>
            c.Method.StartsWith("example", StringComparison.Ordinal)
        );
        var local = clone.FirstOrDefault(c => c.Method == "local limit");
        foreach (var c in clone)
        {
            checks.Add(
                new(
                    $"{link}: clone throughput, {c.Method}",
                    $"{F(c.MbPerSecond, 0)} MB/s ({F(c.MedianSeconds, 2)} s)",
                    "",
                    null,
                    $"median of {c.Seconds.Count}"
                )
            );
        }

        if (agent is not null && local is not null)
        {
            var r = agent.MbPerSecond / local.MbPerSecond;
            checks.Add(
                new(
                    $"{link}: clone, mysql-agent none / local limit",
                    $"{F(r, 2)}x",
                    $">= {F(CloneVsLocal, 2)}x",
                    r >= CloneVsLocal,
                    ""
                )
            );
        }

        if (agentDefault is not null && example is not null)
        {
            var r = agentDefault.MbPerSecond / example.MbPerSecond;
            var onLink = raw is not null;
            checks.Add(
                new(
                    $"{link}: clone, {agentDefault.Method} (default) / example",
                    $"{F(r, 2)}x",
                    $">= {F(onLink ? CloneVsExampleOnLink : CloneVsExample, 2)}x",
                    r >= (onLink ? CloneVsExampleOnLink : CloneVsExample),
                    ""
                )
            );
        }

        if (agentDefault is not null && raw is not null)
        {
            var l = agentDefault.MbPerSecond / raw.MbPerSecond;
            checks.Add(
                new(
                    $"{link}: clone, {agentDefault.Method} (default) / raw link limit",
                    $"{F(l, 2)}x",
                    "> 1.00x",
                    l > 1,
                    "datadir MB per second against the link's own rate"
                )
            );
        }

        if (
            agentDefault is not null
            && clone.FirstOrDefault(c => c.Method == $"mysql-agent TLS, {DefaultCompression}")
                is { } tls
        )
        {
            checks.Add(
                new(
                    $"{link}: clone, {tls.Method} / {agentDefault.Method}",
                    $"{F(tls.MbPerSecond / agentDefault.MbPerSecond, 2)}x",
                    "",
                    null,
                    "the cost of TLS: same run, same donor, in turns"
                )
            );
        }

        if (example is not null && local is not null)
        {
            checks.Add(
                new(
                    $"{link}: clone, example / local limit",
                    $"{F(example.MbPerSecond / local.MbPerSecond, 2)}x",
                    "",
                    null,
                    "reference"
                )
            );
        }
    }

    public static void PrintTable(TextWriter output, IReadOnlyList<GoalCheck> checks)
    {
        var w0 = Math.Max(6, checks.Max(c => c.Figure.Length));
        var w1 = Math.Max(5, checks.Max(c => c.Value.Length));
        var w2 = Math.Max(4, checks.Max(c => c.Goal.Length));
        output.WriteLine(
            $"{"figure".PadRight(w0)}  {"value".PadRight(w1)}  {"goal".PadRight(w2)}  met   note"
        );
        output.WriteLine(new string('-', w0 + w1 + w2 + 20));
        foreach (var c in checks)
        {
            var met = c.Met switch
            {
                true => "yes ",
                false => "NO  ",
                null => "    ",
            };
            output.WriteLine(
                $"{c.Figure.PadRight(w0)}  {c.Value.PadRight(w1)}  {c.Goal.PadRight(w2)}  {met}  {c.Note}"
            );
        }
    }
}
