using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>mysql-local &lt;command&gt; [arguments] [--options]</c>, parsed by System.CommandLine: each
/// command with its own options, <c>--help</c> on every level. A parse error becomes a
/// <see cref="UsageException"/> naming the input and the fix (exit 2). Values are read as text and
/// checked by the commands, so a bad number names the option and its range.
/// </summary>
public sealed class LocalCommandLine
{
    public const string HelpCommand = "help";

    /// <summary>The user's commands, for messages.</summary>
    public const string CommandList =
        "up, scale, status, logs, delete-pod, down, backup, backups, restore, freeze, thaw, isolate, heal, switchover, pause, resume or monitor";

    private static readonly Option<string> StateDir = new("--state-dir")
    {
        Description = "The set's folder (default: $MYSQL_LOCAL_STATE_DIR, else ./.local-set)",
        HelpName = "DIR",
        Recursive = true,
    };

    private static readonly Option<string> Replicas = Valued(
        "--replicas",
        "N",
        "How many pods (default 3; a set started again keeps its own)"
    );
    private static readonly Option<string> BasePort = Valued(
        "--base-port",
        "P|auto",
        "Ports: pod N uses P+10N+6 (mysql), +7 (backups), +8 (HTTP); default 23300; auto picks a free block"
    );
    private static readonly Option<string> InitBinary = Valued(
        "--init-binary",
        "PATH",
        "mysql-init (default: artifacts/mysql-init/mysql-init of the repository)"
    );
    private static readonly Option<string> AgentBinary = Valued(
        "--agent-binary",
        "PATH",
        "mysql-agent (default: artifacts/mysql-agent/mysql-agent)"
    );
    private static readonly Option<string> ConfigMapDir = Valued(
        "--config-map-dir",
        "DIR",
        "primary.cnf and replica.cnf (default: manifests/overlays/mariadb)"
    );
    private static readonly Option<string[]> AgentArg = new("--agent-arg")
    {
        Description =
            "One more argument for every mysql-agent container (repeatable; --agent-arg=--flag=value)",
        HelpName = "ARG",
    };
    private static readonly Option<string> BackupTarget = Valued(
        "--backup-target",
        "URL|off",
        "Where backups go and the primary archives its binlogs: file:/path or s3://bucket[/prefix] (S3 settings with --agent-arg); default for a new set: its backups/ folder; off for none"
    );
    private static readonly Option<string> RestoreFrom = Valued(
        "--restore-from",
        "URL",
        "A new set from a backup: mysql-0 restores from this target (file:/path or s3://bucket[/prefix]) into its empty volume, the others clone from it; the newest point unless --to-time or --to-gtid"
    );
    private static readonly Option<string> Into = Valued(
        "--into",
        "DIR",
        "The new set's folder (restore: it must be new or empty)"
    );
    private static readonly Option<string> ToTime = Valued(
        "--to-time",
        "T",
        "With --restore-from: restore to this UTC time (2026-12-07T14:03:00Z), every transaction committed at or before it"
    );
    private static readonly Option<string> ToGtid = Valued(
        "--to-gtid",
        "GTID",
        "With --restore-from: restore up to and including this GTID"
    );
    private static readonly Option<string> Pod = Valued(
        "--pod",
        "POD",
        "The pod to back up (default: the ready replica with the least lag, else the primary)"
    );
    private static readonly Option<string> TimeoutSeconds = Valued(
        "--timeout-seconds",
        "S",
        "How long to wait for readiness (default 300)"
    );
    private static readonly Option<bool> NoWait = Flag(
        "--no-wait",
        "Return without waiting for readiness"
    );
    private static readonly Option<bool> Json = Flag(
        "--json",
        "JSON with the ready reason, server id, setup state, ports and containers"
    );
    private static readonly Option<bool> Follow = Flag(
        "--follow",
        "Keep printing new lines until Ctrl-C"
    );
    private static readonly Option<bool> KeepData = Flag(
        "--keep-data",
        "Keep the folder (data, secrets, set.json) for the next 'up'"
    );
    private static readonly Option<bool> Tls = Flag(
        "--tls",
        "Make a CA and a certificate in the set's tls/ folder and run everything with TLS: HTTPS on the backup port, replication over verified SSL"
    );

    private static readonly Option<bool> Failover = Flag(
        "--failover",
        "Automatic failover, the default of a new set (kept for scripts that ask for it): the agents elect the primary through a Lease file in the set's lease/ folder, every mysqld boots read-only, and the mysql-primary port (base+5) forwards to the Lease holder"
    );
    private static readonly Option<bool> FixedPrimary = Flag(
        "--fixed-primary",
        "No failover, as the example: mysql-0 is always the primary and mysql-primary (base+5) forwards to it; while it is down, writes stop; only for a new set"
    );
    private static readonly Option<bool> Monitor = Flag(
        "--monitor",
        "Also start the set's Prometheus (as 'monitor' does)"
    );
    private static readonly Option<string> ScrapeIntervalSeconds = Valued(
        "--scrape-interval-seconds",
        "S",
        "How often Prometheus scrapes every agent (default 15)"
    );
    private static readonly Option<string> EvaluationIntervalSeconds = Valued(
        "--evaluation-interval-seconds",
        "S",
        "How often Prometheus evaluates the rules (default: the scrape interval)"
    );
    private static readonly Option<string> RuleFile = Valued(
        "--rule-file",
        "PATH",
        "The rules Prometheus loads (default: manifests/components/alerts/mysql-agent.rules.yaml)"
    );
    private static readonly Option<bool> Stop = Flag("--stop", "Stop the set's Prometheus");
    private static readonly Option<string> To = Valued(
        "--to",
        "POD",
        "The pod to hand the primary to (default: the most advanced replica)"
    );

    private static readonly Dictionary<string, Option> ByName = new Option[]
    {
        StateDir,
        Replicas,
        BasePort,
        InitBinary,
        AgentBinary,
        ConfigMapDir,
        AgentArg,
        BackupTarget,
        RestoreFrom,
        Into,
        ToTime,
        ToGtid,
        Pod,
        TimeoutSeconds,
        NoWait,
        Json,
        Follow,
        KeepData,
        Tls,
        Failover,
        FixedPrimary,
        Monitor,
        ScrapeIntervalSeconds,
        EvaluationIntervalSeconds,
        RuleFile,
        Stop,
        To,
    }.ToDictionary(o => o.Name.TrimStart('-'), StringComparer.Ordinal);

    private static readonly RootCommand Root = BuildRoot();

    private readonly ParseResult? _result;

    private LocalCommandLine(string command, IReadOnlyList<string> positional, ParseResult? result)
    {
        Command = command;
        Positional = positional;
        _result = result;
    }

    public string Command { get; }

    public IReadOnlyList<string> Positional { get; }

    /// <exception cref="UsageException">Unknown command or option, a missing value, or no command.</exception>
    public static LocalCommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("no command given: try 'mysql-local up' (see --help)");
        }

        var result = Root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var command = result.CommandResult.Command;
        if (result.Action is HelpAction)
        {
            return new LocalCommandLine(HelpCommand, [], result);
        }

        if (command is RootCommand && result.UnmatchedTokens.Count == 0)
        {
            throw new UsageException("no command given: try 'mysql-local up' (see --help)");
        }

        if (result.Errors.Count > 0)
        {
            throw new UsageException(Describe(result));
        }

        var positional = command
            .Arguments.Select(a => result.CommandResult.GetResult(a))
            .Where(r => r is not null)
            .SelectMany(r => r!.Tokens.Select(t => t.Value))
            .ToList();
        return new LocalCommandLine(command.Name, positional, result);
    }

    /// <summary>Writes the help that <c>--help</c> asked for (of the command it followed) to stdout.</summary>
    public int WriteHelp() => _result?.Invoke(new InvocationConfiguration()) ?? 0;

    public bool Has(string flag) =>
        ByName.TryGetValue(flag, out var option)
        && _result is { } result
        && (
            option is Option<bool> boolean
                ? result.GetValue(boolean)
                : result.GetResult(option) is not null
        );

    public string? Value(string name) =>
        ByName.TryGetValue(name, out var option) && option is Option<string> text
            ? _result?.GetValue(text)
            : null;

    public IReadOnlyList<string> Values(string name) =>
        ByName.TryGetValue(name, out var option) && option is Option<string[]> many
            ? _result?.GetValue(many) ?? []
            : [];

    public int? Number(string name, int min, int max)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= min
            && n <= max
            ? n
            : throw new UsageException(
                $"--{name} '{text}' is not a whole number from {min} to {max}"
            );
    }

    public SetPaths StatePaths()
    {
        var dir = Value("state-dir");
        if (dir is null)
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("MYSQL_LOCAL_STATE_DIR");
            dir = string.IsNullOrEmpty(fromEnvironment) ? ".local-set" : fromEnvironment;
        }

        return new SetPaths(dir);
    }

    public TimeSpan Timeout() => TimeSpan.FromSeconds(Number("timeout-seconds", 1, 86400) ?? 300);

    private static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            """
            A replica set of three pods on 127.0.0.1 from the real binaries, run like the StatefulSet
            by a small kubelet: mysql-init, mysql-agent clone, then mariadbd and mysql-agent serve.
            Exit codes: 0 done, 1 a bug, 2 a bad command or option, 3 a failure named on stderr.
            """
        )
        {
            StateDir,
            new Command(
                "up",
                "Create or start the set and wait until it is ready; writes a row through the primary and reads it back from every replica. Every port must be free first."
            )
            {
                Replicas,
                BasePort,
                InitBinary,
                AgentBinary,
                ConfigMapDir,
                AgentArg,
                BackupTarget,
                RestoreFrom,
                ToTime,
                ToGtid,
                TimeoutSeconds,
                NoWait,
                Tls,
                Failover,
                FixedPrimary,
                Monitor,
                ScrapeIntervalSeconds,
                EvaluationIntervalSeconds,
                RuleFile,
            },
            new Command(
                "scale",
                "Scale to N pods: new pods clone from their predecessor (their ports must be free); removed ones keep their data"
            )
            {
                PositionalArgument("N", "The number of pods, 1 to 64"),
                TimeoutSeconds,
                NoWait,
            },
            new Command(
                "status",
                "Each pod's phase, readiness, role, lag, GTID and ports, and the set's id and base port"
            )
            {
                Json,
            },
            new Command(
                "logs",
                "A container's output across restarts: init, clone, mysql or agent (default agent)"
            )
            {
                PositionalArgument("POD", "The pod, such as mysql-1"),
                PositionalArgument("CONTAINER", "init, clone, mysql or agent"),
                Follow,
            },
            new Command(
                "delete-pod",
                "Delete a pod: its containers stop and it is created again, init containers first, on the same data"
            )
            {
                PositionalArgument("POD", "The pod, such as mysql-1"),
                TimeoutSeconds,
                NoWait,
            },
            new Command("down", "Stop every process of the set and delete its folder") { KeepData },
            new Command(
                "backup",
                "A full backup of one pod's server to the set's backup target, as 'mysql-agent backup' in its agent container"
            )
            {
                Pod,
            },
            new Command("backups", "The backups in the set's backup target, oldest first"),
            new Command(
                "restore",
                "A new set in --into DIR from this set's backup target, to the newest point unless --to-time or --to-gtid: copies this set's secrets into DIR, then 'up --restore-from' there on free ports; this set keeps running"
            )
            {
                Into,
                ToTime,
                ToGtid,
                BasePort,
                TimeoutSeconds,
            },
            new Command("freeze", "SIGSTOP to every process of a pod (a hung node) until 'thaw'")
            {
                PositionalArgument("POD", "The pod, such as mysql-0"),
            },
            new Command("thaw", "SIGCONT to every process 'freeze' stopped")
            {
                PositionalArgument("POD", "The pod, such as mysql-0"),
            },
            new Command(
                "isolate",
                "With failover (the default): cut a pod's agent off from the Lease store until 'heal'"
            )
            {
                PositionalArgument("POD", "The pod, such as mysql-0"),
            },
            new Command("heal", "Give an isolated pod's agent its way to the Lease store back")
            {
                PositionalArgument("POD", "The pod, such as mysql-0"),
            },
            new Command(
                "switchover",
                "With failover (the default): a planned switchover through the agent's 'switchover' command"
            )
            {
                To,
            },
            new Command(
                "pause",
                "With failover (the default): no automatic failover until 'resume' (switchover still works)"
            ),
            new Command(
                "resume",
                "With failover (the default): automatic failover again after 'pause'"
            ),
            new Command(
                "monitor",
                "Start (or point again at the pods) the set's Prometheus on 127.0.0.1 at base+4: it scrapes every agent and loads the shipped alert rules; 'status' shows its firing alerts, 'down' stops it"
            )
            {
                ScrapeIntervalSeconds,
                EvaluationIntervalSeconds,
                RuleFile,
                Stop,
            },
            new Command(KubeletProcess.CommandName, "The set's supervisor, started by 'up'")
            {
                Hidden = true,
            },
        };
        return root;
    }

    /// <summary>The first parse error as one line naming the input and the fix.</summary>
    private static string Describe(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var where = command is RootCommand ? "" : $" for '{command.Name}'";
        if (result.UnmatchedTokens is [var token, ..])
        {
            if (token.StartsWith('-'))
            {
                return $"unknown option {token.Split('=', 2)[0]}{where} (see --help for the list)";
            }

            return command is RootCommand
                ? $"unknown command '{token}': use {CommandList} (see --help)"
                : $"unexpected argument '{token}'{where} (see --help)";
        }

        var error = result.Errors[0];
        return error.SymbolResult is OptionResult option
            ? $"{option.Option.Name} needs a value (see --help)"
            : $"{error.Message.TrimEnd('.')} (see --help)";
    }

    private static Option<string> Valued(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };

    private static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    private static Argument<string> PositionalArgument(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };
}
