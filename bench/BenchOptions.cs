using System.Globalization;

namespace MysqlBench;

/// <summary>The command line of <c>mysql-bench</c>.</summary>
internal sealed record BenchOptions
{
    public required string AgentPath { get; init; }
    public string AgentBuild { get; init; } = "unknown";
    public required string InitPath { get; init; }
    public int SizeMb { get; init; } = 1024;
    public bool Quick { get; init; }
    public int CloneRuns { get; init; } = 3;
    public int ReplicationRuns { get; init; } = 5;
    public int InitRuns { get; init; } = 50;
    public int StartupRuns { get; init; } = 5;
    public long TouchMemoryBytes { get; init; } = 4L * 1000 * 1000 * 1000;
    public string Output { get; init; } = Path.Combine("artifacts", "bench-results.json");
    public IReadOnlyList<string> Links { get; init; } = ["loopback"];
    public double DelayMs { get; init; }
    public IReadOnlyList<string> Compressions { get; init; } = ["none", "lz4", "zstd"];
    public bool CloneOnly { get; init; }
    public bool Failover { get; init; }
    public int FailoverRuns { get; init; } = 10;
    public string LocalPath { get; init; } = "";

    public const string Usage = """
        Usage: mysql-bench --agent PATH --init PATH [options]   (normally through ./dev bench)

          --agent PATH          published mysql-agent binary
          --agent-build NAME    how it was published (aot, trimmed), printed with the figures
          --init PATH           published mysql-init binary
          --size-mb N           InnoDB data generated into the donor (default 1024)
          --quick               smoke run: ~100 MB, fewer runs (figures are not meant to be quoted)
          --clone-runs N        timed clones per method after one warm-up (default 3, at least 3)
          --replication-runs N  fresh replicas per method (default 5; quick 3)
          --init-runs N         timed mysql-init runs (default 50; quick 20)
          --startup-runs N      agent starts timed to /healthz (default 5; quick 3)
          --touch-memory-mb N   memory written once before measuring (default 4000; 0 = skip)
          --output FILE         JSON results (default artifacts/bench-results.json)
          --link KINDS          loopback (default), 1gbit or 10gbit, or several (1gbit,10gbit,loopback):
                                donor and receiver in two network namespaces joined by a veth pair
                                shaped with tc (needs root; else loopback), one data set for all
          --delay-ms MS         with --link: add this round-trip delay (netem), e.g. 0.2
          --compressions LIST   agent stream compressions to measure (default none,lz4,zstd)
          --clone-only          measure clone throughput only (no replication, init, start-up figures)
          --failover            measure failover only: a fresh local set (mysql-local up --failover,
                                default election timings) per run, a switchover then a frozen primary
          --failover-runs N     failover runs (default 10; quick 2)
          --local PATH          built mysql-local (default local/bin/Release/net10.0/mysql-local)
        """;

    /// <exception cref="ArgumentException">Unknown option or bad value.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        var cloneOnly = false;
        var failover = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--quick")
            {
                quick = true;
                continue;
            }

            if (arg == "--clone-only")
            {
                cloneOnly = true;
                continue;
            }

            if (arg == "--failover")
            {
                failover = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"unexpected argument '{arg}'");
            }

            values[arg[2..]] = args[++i];
        }

        string Take(string name, string? fallback)
        {
            if (values.Remove(name, out var value))
            {
                return value;
            }

            return fallback ?? throw new ArgumentException($"--{name} is required");
        }

        int Number(string name, int fallback)
        {
            var text = Take(name, fallback.ToString(CultureInfo.InvariantCulture));
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new ArgumentException($"--{name} needs a number, not '{text}'");
        }

        var options = new BenchOptions
        {
            AgentPath = Path.GetFullPath(Take("agent", null)),
            AgentBuild = Take("agent-build", "unknown"),
            InitPath = Path.GetFullPath(Take("init", cloneOnly ? "/nonexistent" : null)),
            Quick = quick,
            SizeMb = Number("size-mb", quick ? 100 : 1024),
            CloneRuns = Math.Max(3, Number("clone-runs", 3)),
            ReplicationRuns = Math.Max(1, Number("replication-runs", quick ? 3 : 5)),
            InitRuns = Math.Max(1, Number("init-runs", quick ? 20 : 50)),
            StartupRuns = Math.Max(1, Number("startup-runs", quick ? 3 : 5)),
            TouchMemoryBytes = Number("touch-memory-mb", failover ? 0 : 4000) * 1000L * 1000L,
            Output = Take("output", Path.Combine("artifacts", "bench-results.json")),
            Links = Take("link", "loopback")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            DelayMs =
                double.TryParse(
                    Take("delay-ms", "0"),
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture,
                    out var delay
                ) && delay is >= 0 and <= 1000
                    ? delay
                    : throw new ArgumentException(
                        "--delay-ms needs a number of milliseconds, e.g. 0.2"
                    ),
            Compressions = Take("compressions", "none,lz4,zstd")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            CloneOnly = cloneOnly,
            Failover = failover,
            FailoverRuns = Math.Max(1, Number("failover-runs", quick ? 2 : 10)),
            LocalPath = Path.GetFullPath(
                Take("local", Path.Combine("local", "bin", "Release", "net10.0", "mysql-local"))
            ),
        };
        if (failover && cloneOnly)
        {
            throw new ArgumentException(
                "--failover and --clone-only measure different things: use one"
            );
        }

        foreach (var link in options.Links)
        {
            if (link is not ("loopback" or "1gbit" or "10gbit"))
            {
                throw new ArgumentException($"--link {link}: use loopback, 1gbit or 10gbit");
            }
        }
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        }

        foreach (
            var path in cloneOnly ? [options.AgentPath]
            : failover ? [options.AgentPath, options.InitPath, options.LocalPath]
            : new[] { options.AgentPath, options.InitPath }
        )
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException(
                    $"{path} does not exist (./dev bench publishes and builds it)"
                );
            }
        }

        return options;
    }
}
