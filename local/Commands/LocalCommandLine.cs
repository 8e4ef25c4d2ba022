using System.Globalization;
using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>mysql-local &lt;command&gt; [arguments] [--options]</c>: the command, its positional arguments and
/// its options. Unknown options and bad values are errors naming the option and the fix.
/// </summary>
public sealed class LocalCommandLine
{
    private static readonly HashSet<string> Flags =
    [
        "json",
        "follow",
        "keep-data",
        "no-wait",
        "tls",
        "help",
    ];
    private static readonly HashSet<string> Valued =
    [
        "state-dir",
        "replicas",
        "base-port",
        "init-binary",
        "agent-binary",
        "config-map-dir",
        "agent-arg",
        "timeout-seconds",
    ];

    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    private LocalCommandLine(string command, IReadOnlyList<string> positional)
    {
        Command = command;
        Positional = positional;
    }

    public string Command { get; }

    public IReadOnlyList<string> Positional { get; }

    public const string Usage = """
        usage: mysql-local <command> [options]

        A replica set of three pods on 127.0.0.1 from the real binaries, run like the StatefulSet
        by a small kubelet: mysql-init, mysql-agent clone, then mariadbd and mysql-agent serve.

        commands:
          up [--replicas N]          create or start the set (default 3 pods) and wait until it is ready;
                                     writes a row through the primary and reads it back from every replica
          scale N                    scale to N pods (new pods clone from their predecessor)
          status [--json]            a table (or JSON) of each pod's phase, readiness, role, lag, GTID, ports
          logs POD [CONTAINER] [--follow]
                                     a pod's container log: init, clone, mysql or agent (default agent)
          delete-pod POD             delete a pod: its containers stop and it is created again, init
                                     containers first, on the same data
          down [--keep-data]         stop every process of the set and delete its folder

        options:
          --state-dir DIR            the set's folder (default: $MYSQL_LOCAL_STATE_DIR, else ./.local-set)
          --base-port P              ports: pod N uses P+10N+6 (mysql), +7 (backups), +8 (HTTP); default 23300
          --init-binary PATH         mysql-init (default: artifacts/mysql-init/mysql-init of the repository)
          --agent-binary PATH        mysql-agent (default: artifacts/mysql-agent/mysql-agent)
          --config-map-dir DIR       primary.cnf and replica.cnf (default: manifests/overlays/mariadb)
          --agent-arg ARG            one more argument for every mysql-agent container (repeatable)
          --timeout-seconds S        how long up, scale and delete-pod wait for readiness (default 300)
          --no-wait                  return without waiting for readiness
          --tls                      (up) make a CA and a certificate in the set's tls/ folder and run
                                     everything with TLS: HTTPS on the backup port, replication over SSL

        exit codes: 0 done, 1 a bug, 2 a bad command or option, 3 a failure named on stderr
        """;

    /// <exception cref="UsageException">Unknown command or option, or a missing value.</exception>
    public static LocalCommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("no command given: try 'mysql-local up' (see --help)");
        }

        var positional = new List<string>();
        var options = new List<(string, string?)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            if (name.Split('=', 2) is [var key, var inline])
            {
                name = key;
                value = inline;
            }

            if (Flags.Contains(name))
            {
                options.Add((name, value ?? "true"));
            }
            else if (Valued.Contains(name))
            {
                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"--{name} needs a value (see --help)");
                    }

                    value = args[++i];
                }

                options.Add((name, value));
            }
            else
            {
                throw new UsageException($"unknown option --{name} (see --help for the list)");
            }
        }

        var help = options.Any(o => o.Item1 == "help");
        if (positional.Count == 0 && !help)
        {
            throw new UsageException("no command given: try 'mysql-local up' (see --help)");
        }

        var line = new LocalCommandLine(help ? "help" : positional[0], positional.Skip(1).ToList());
        foreach (var (name, value) in options)
        {
            if (!line._options.TryGetValue(name, out var values))
            {
                values = [];
                line._options[name] = values;
            }

            values.Add(value!);
        }

        return line;
    }

    public bool Has(string flag) => _options.ContainsKey(flag);

    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Values(string name) =>
        _options.TryGetValue(name, out var v) ? v : [];

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
}
