using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace MysqlBench;

/// <summary>
/// The command line of <c>mysql-bench</c>, parsed by System.CommandLine as mysql-local's is. Values
/// are read as text and checked here, so a bad one is one line naming the option
/// (<see cref="ArgumentException"/>); <c>--help</c> lists them all.
/// </summary>
internal sealed record BenchOptions
{
    private static readonly Option<string> Agent = Valued(
        "--agent",
        "PATH",
        "published mysql-agent binary"
    );
    private static readonly Option<string> AgentBuildOption = Valued(
        "--agent-build",
        "NAME",
        "how it was published (aot, trimmed), printed with the figures"
    );
    private static readonly Option<string> Init = Valued(
        "--init",
        "PATH",
        "published mysql-init binary"
    );
    private static readonly Option<string> Size = Valued(
        "--size-mb",
        "N",
        "InnoDB data generated into the donor (default 1024)"
    );
    private static readonly Option<bool> QuickFlag = Flag(
        "--quick",
        "smoke run: ~100 MB, fewer runs (figures are not meant to be quoted)"
    );
    private static readonly Option<string> CloneRunsOption = Valued(
        "--clone-runs",
        "N",
        "timed clones per method after one warm-up (default 3, at least 3)"
    );
    private static readonly Option<string> ReplicationRunsOption = Valued(
        "--replication-runs",
        "N",
        "fresh replicas per method (default 5; quick 3)"
    );
    private static readonly Option<string> InitRunsOption = Valued(
        "--init-runs",
        "N",
        "timed mysql-init runs (default 50; quick 20)"
    );
    private static readonly Option<string> StartupRunsOption = Valued(
        "--startup-runs",
        "N",
        "agent starts timed to /healthz (default 5; quick 3)"
    );
    private static readonly Option<string> TouchMemory = Valued(
        "--touch-memory-mb",
        "N",
        "memory written once before measuring (default 4000; 0 = skip)"
    );
    private static readonly Option<string> OutputOption = Valued(
        "--output",
        "FILE",
        "JSON results (default artifacts/bench-results.json)"
    );
    private static readonly Option<string> Link = Valued(
        "--link",
        "KINDS",
        "loopback (default), 1gbit or 10gbit, or several (1gbit,10gbit,loopback): donor and receiver in two network namespaces joined by a veth pair shaped with tc (needs root; else loopback), one data set for all"
    );
    private static readonly Option<string> Delay = Valued(
        "--delay-ms",
        "MS",
        "with --link: add this round-trip delay (netem), e.g. 0.2"
    );
    private static readonly Option<string> CompressionsOption = Valued(
        "--compressions",
        "LIST",
        "agent stream compressions to measure (default none,lz4,zstd)"
    );
    private static readonly Option<bool> CloneOnlyFlag = Flag(
        "--clone-only",
        "measure clone throughput only (no replication, init, start-up figures)"
    );
    private static readonly Option<bool> BackupsOnlyFlag = Flag(
        "--backups-only",
        "measure backups only, on loopback: backup to a folder and to moto_server in turns with the agent's clone of the same donor, then restore --latest with a binlog replay (no clone methods, replication, init, start-up figures)"
    );
    private static readonly Option<bool> ProxyOnlyFlag = Flag(
        "--proxy-only",
        "measure the agent's primary proxy alone, on loopback: per-query latency, a new connection's cost, throughput and the agent's CPU, against a direct connection (part of the full bench too)"
    );
    private static readonly Option<bool> FailoverFlag = Flag(
        "--failover",
        "measure failover only: a fresh local set (mysql-local up, default election timings) per run; N runs of 'frozen 30 s' (a switchover, then the primary frozen) and N of 'mysqld down for good', each until the set healed"
    );
    private static readonly Option<string> FailoverRunsOption = Valued(
        "--failover-runs",
        "N",
        "failover runs of each scenario (default 10; quick 2)"
    );
    private static readonly Option<string> Local = Valued(
        "--local",
        "PATH",
        "built mysql-local (default local/bin/Release/net10.0/mysql-local)"
    );

    private static readonly RootCommand Root = new(
        "mysql-bench --agent PATH --init PATH [options]   (normally through ./dev bench)"
    )
    {
        Agent,
        AgentBuildOption,
        Init,
        Size,
        QuickFlag,
        CloneRunsOption,
        ReplicationRunsOption,
        InitRunsOption,
        StartupRunsOption,
        TouchMemory,
        OutputOption,
        Link,
        Delay,
        CompressionsOption,
        CloneOnlyFlag,
        BackupsOnlyFlag,
        ProxyOnlyFlag,
        FailoverFlag,
        FailoverRunsOption,
        Local,
    };

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
    public bool BackupsOnly { get; init; }
    public bool ProxyOnly { get; init; }
    public bool Failover { get; init; }
    public int FailoverRuns { get; init; } = 10;
    public string LocalPath { get; init; } = "";

    /// <summary>Whether <paramref name="args"/> ask for the help (<c>--help</c>, <c>-h</c>, <c>-?</c>).</summary>
    public static bool AsksForHelp(IReadOnlyList<string> args) =>
        Parse(Root, args).Action is HelpAction;

    /// <summary>Writes the help, as <c>--help</c> shows it, to <paramref name="output"/>.</summary>
    public static void WriteHelp(TextWriter output) =>
        Parse(Root, ["--help"]).Invoke(new InvocationConfiguration { Output = output });

    /// <summary>Reads the options; the programs' paths are made absolute, not checked (<see cref="MissingProgram"/>).</summary>
    /// <exception cref="ArgumentException">Unknown option or bad value, in one line naming it.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var result = Parse(Root, args);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(Describe(result));
        }

        var quick = result.GetValue(QuickFlag);
        var cloneOnly = result.GetValue(CloneOnlyFlag);
        var failover = result.GetValue(FailoverFlag);
        var backupsOnly = result.GetValue(BackupsOnlyFlag);
        var proxyOnly = result.GetValue(ProxyOnlyFlag);

        string Take(Option<string> option, string? fallback) =>
            result.GetValue(option)
            ?? fallback
            ?? throw new ArgumentException($"{option.Name} is required");

        int Number(Option<string> option, int fallback)
        {
            var text = Take(option, fallback.ToString(CultureInfo.InvariantCulture));
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new ArgumentException($"{option.Name} needs a number, not '{text}'");
        }

        var options = new BenchOptions
        {
            AgentPath = Path.GetFullPath(Take(Agent, null)),
            AgentBuild = Take(AgentBuildOption, "unknown"),
            InitPath = Path.GetFullPath(
                Take(Init, cloneOnly || backupsOnly || proxyOnly ? "/nonexistent" : null)
            ),
            Quick = quick,
            SizeMb = Number(Size, quick ? 100 : 1024),
            CloneRuns = Math.Max(3, Number(CloneRunsOption, 3)),
            ReplicationRuns = Math.Max(1, Number(ReplicationRunsOption, quick ? 3 : 5)),
            InitRuns = Math.Max(1, Number(InitRunsOption, quick ? 20 : 50)),
            StartupRuns = Math.Max(1, Number(StartupRunsOption, quick ? 3 : 5)),
            TouchMemoryBytes = Number(TouchMemory, failover ? 0 : 4000) * 1000L * 1000L,
            Output = Take(OutputOption, Path.Combine("artifacts", "bench-results.json")),
            Links = Take(Link, "loopback")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            DelayMs =
                double.TryParse(
                    Take(Delay, "0"),
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture,
                    out var delay
                ) && delay is >= 0 and <= 1000
                    ? delay
                    : throw new ArgumentException(
                        "--delay-ms needs a number of milliseconds, e.g. 0.2"
                    ),
            Compressions = Take(CompressionsOption, "none,lz4,zstd")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            CloneOnly = cloneOnly,
            BackupsOnly = backupsOnly,
            ProxyOnly = proxyOnly,
            Failover = failover,
            FailoverRuns = Math.Max(1, Number(FailoverRunsOption, quick ? 2 : 10)),
            LocalPath = Path.GetFullPath(
                Take(Local, Path.Combine("local", "bin", "Release", "net10.0", "mysql-local"))
            ),
        };
        if (failover && cloneOnly)
        {
            throw new ArgumentException(
                "--failover and --clone-only measure different things: use one"
            );
        }

        if (backupsOnly && (failover || cloneOnly))
        {
            throw new ArgumentException(
                "--backups-only measures backups alone: drop --failover and --clone-only"
            );
        }

        if (proxyOnly && (failover || cloneOnly || backupsOnly))
        {
            throw new ArgumentException(
                "--proxy-only measures the primary proxy alone: drop --failover, --clone-only and --backups-only"
            );
        }

        if (backupsOnly && options.Links.Any(l => l != "loopback"))
        {
            throw new ArgumentException("--backups-only measures on loopback only: drop --link");
        }

        foreach (var link in options.Links)
        {
            if (link is not ("loopback" or "1gbit" or "10gbit"))
            {
                throw new ArgumentException($"--link {link}: use loopback, 1gbit or 10gbit");
            }
        }

        return options;
    }

    /// <summary>The first program this run needs that does not exist, as an error line; null when all do.</summary>
    public string? MissingProgram()
    {
        string[] programs =
            CloneOnly || BackupsOnly || ProxyOnly ? [AgentPath]
            : Failover ? [AgentPath, InitPath, LocalPath]
            : [AgentPath, InitPath];
        return programs
            .Where(p => !File.Exists(p))
            .Select(p => $"{p} does not exist (./dev bench publishes and builds it)")
            .FirstOrDefault();
    }

    private static ParseResult Parse(RootCommand root, IReadOnlyList<string> args) =>
        root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>The first parse error as one line naming the input.</summary>
    private static string Describe(ParseResult result)
    {
        if (result.UnmatchedTokens is [var token, ..])
        {
            return token.StartsWith('-')
                ? $"unknown option {token.Split('=', 2)[0]}"
                : $"unexpected argument '{token}'";
        }

        var error = result.Errors[0];
        return error.SymbolResult is OptionResult option
            ? $"{option.Option.Name} needs a value"
            : error.Message.TrimEnd('.');
    }

    private static Option<string> Valued(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };

    private static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };
}
