using System.Reflection;
using System.Text;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Errors;
using MysqlAgent.Logging;

namespace MysqlAgent.Commands;

/// <summary>
/// The command boundary: parses <c>mysql-agent COMMAND [options]</c>, turns expected failures into
/// one log line and an exit code, and keeps stack traces for bugs only.
/// </summary>
public static class AgentCommandLine
{
    public static readonly IReadOnlyList<IAgentCommand> Commands =
    [
        new ServeCommand(),
        new CloneCommand(),
        new SwitchoverCommand(),
        new PauseCommand(pause: true),
        new PauseCommand(pause: false),
        new BackupCommand(),
        new BackupsCommand(),
        new RestoreCommand(),
        new PruneCommand(),
        new VerifyCommand(),
    ];

    public static string Version { get; } =
        typeof(AgentCommandLine)
            .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, string?> getEnvironmentVariable,
        CancellationToken cancellationToken
    )
    {
        if (args.Count == 0)
        {
            await stderr
                .WriteLineAsync(
                    "mysql-agent: error: no command given; use serve or clone (see --help)"
                )
                .ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (args[0] is "--help" or "-h" or "help")
        {
            await stdout.WriteAsync(Help()).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        if (args[0] is "--version")
        {
            await stdout.WriteLineAsync($"mysql-agent {Version}").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            await stderr
                .WriteLineAsync(
                    $"mysql-agent: error: unknown command '{args[0]}'; use {string.Join(" or ", Commands.Select(c => c.Name))} (see --help)"
                )
                .ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var rest = args.Skip(1).ToArray();
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            await stdout.WriteAsync(Help()).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        AgentOptions options;
        try
        {
            options = AgentOptionsReader.Read(OptionValues.Parse(rest, getEnvironmentVariable));
            var problems = command.Validate(options).ToList();
            if (problems.Count > 0)
            {
                throw new ConfigurationException(problems);
            }
        }
        catch (ConfigurationException e)
        {
            foreach (var problem in e.Problems.Count > 0 ? e.Problems : [e.Message])
            {
                await stderr
                    .WriteLineAsync($"mysql-agent {command.Name}: error: {problem}")
                    .ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }

        if (options.DryRun)
        {
            await stdout
                .WriteLineAsync(
                    $"mysql-agent {command.Name}: configuration ok: {ConfigurationDescription.Describe(options)}"
                )
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }

        using var loggerFactory = AgentLogging.CreateFactory(options.LogFormat, options.LogLevel);
        var logger = loggerFactory.CreateLogger("MysqlAgent");
        StartupLog.Starting(
            logger,
            Version,
            command.Name,
            ConfigurationDescription.Describe(options)
        );
        try
        {
            var code = await command
                .RunAsync(options, loggerFactory, cancellationToken)
                .ConfigureAwait(false);
            StartupLog.Stopped(logger, command.Name);
            return code;
        }
        catch (AgentException e)
        {
            StartupLog.ExpectedFailure(logger, command.Name, e.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            StartupLog.ExpectedFailure(
                logger,
                command.Name,
                "stopped by a signal before it finished"
            );
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            StartupLog.Crashed(logger, command.Name, e);
            return ExitCodes.Crash;
        }
    }

    public static string Help()
    {
        var b = new StringBuilder();
        b.AppendLine(
            $"mysql-agent {Version}: the sidecar of a replicated MySQL/MariaDB StatefulSet."
        );
        b.AppendLine();
        b.AppendLine("Usage: mysql-agent COMMAND [--option value ...]");
        b.AppendLine();
        b.AppendLine("Commands:");
        foreach (var c in Commands)
        {
            b.AppendLine($"  {c.Name, -8} {c.Summary}");
        }

        b.AppendLine();
        b.AppendLine(
            "Options (each also read from the environment variable shown; the command line wins):"
        );
        foreach (var o in OptionCatalog.All)
        {
            var value =
                o.IsFlag ? ""
                : o.IsRepeatable ? " LIST"
                : " VALUE";
            var env = o.ExtraEnvironmentName is null
                ? o.EnvironmentName
                : $"{o.EnvironmentName} or {o.ExtraEnvironmentName}";
            var fallback = o.Default is null ? "" : $" [default: {o.Default}]";
            b.AppendLine(
                o.IsSecret
                    ? $"  {env}  (environment only, or --{o.FileOptionName})"
                    : $"  {o.CommandLineName}{value}  ({env})"
            );
            b.AppendLine($"      {o.Help}{fallback}");
        }

        b.AppendLine();
        b.AppendLine("Exit codes:");
        b.AppendLine($"  {ExitCodes.Success}  success");
        b.AppendLine($"  {ExitCodes.Crash}  unexpected error (a bug; the log has the stack trace)");
        b.AppendLine($"  {ExitCodes.Usage}  bad command, option or option value");
        b.AppendLine($"  {ExitCodes.Failure}  the command failed for a reason named in the log");
        return b.ToString();
    }
}
