using System.Globalization;
using MysqlAgent.Identity;
using MysqlInit.Errors;

namespace MysqlInit;

/// <summary>
/// Reads <c>--opt value</c> and <c>--opt=value</c>; an option on the command line beats its
/// environment variable, which beats the default. An empty environment variable counts as unset,
/// as a manifest often sets one to "" instead of removing it.
/// </summary>
internal static class OptionsParser
{
    private const string SeeHelp = "run mysql-init --help for the options";

    public static ParsedCommand Parse(
        IReadOnlyList<string> args,
        Func<string, string?> getEnvironmentVariable
    )
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var dryRun = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h")
            {
                return ParsedCommand.Help;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException(
                    $"unexpected argument {Quoting.Quote(arg)}: mysql-init takes only --options; {SeeHelp}"
                );
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var inlineValue = equals < 0 ? null : arg[(equals + 1)..];
            var spec =
                OptionSpec.Find(name)
                ?? throw new UsageException($"unknown option {Quoting.Quote(name)}; {SeeHelp}");

            if (!spec.TakesValue)
            {
                if (inlineValue is not null)
                {
                    throw new UsageException(
                        $"option {name} takes no value, but was given {Quoting.Quote(inlineValue)}; write {name} alone"
                    );
                }

                switch (name)
                {
                    case OptionSpec.Help:
                        return ParsedCommand.Help;
                    case OptionSpec.Version:
                        return ParsedCommand.Version;
                    default:
                        dryRun = true;
                        continue;
                }
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException(
                    $"option {name} needs a value: {name} {spec.ValueName} or {name}={spec.ValueName}"
                );
            }

            if (value.Length == 0)
            {
                throw new UsageException(
                    $"option {name} was given an empty value; give {name} {spec.ValueName}"
                );
            }

            if (!values.TryAdd(name, value))
            {
                throw new UsageException(
                    $"option {name} was given twice ({Quoting.Quote(values[name])} and {Quoting.Quote(value)}); give it once"
                );
            }
        }

        string? Get(string name) => Resolve(name, values, getEnvironmentVariable)?.Value;

        var offset = Resolve(OptionSpec.ServerIdOffset, values, getEnvironmentVariable)!;
        var service = Resolve(OptionSpec.Service, values, getEnvironmentVariable);
        if (service is not null)
        {
            ValidateService(service);
        }

        return new ParsedCommand(
            CommandKind.Run,
            new InitOptions(
                Get(OptionSpec.Hostname),
                Get(OptionSpec.ConfigMapDir)!,
                Get(OptionSpec.ConfDir)!,
                ParseOffset(offset),
                service?.Value,
                dryRun
            )
        );
    }

    /// <returns>The value and where it came from, for messages; null when nothing gave one.</returns>
    private static ResolvedValue? Resolve(
        string name,
        Dictionary<string, string> values,
        Func<string, string?> getEnvironmentVariable
    )
    {
        if (values.TryGetValue(name, out var value))
        {
            return new ResolvedValue(value, $"option {name}");
        }

        var spec = OptionSpec.Find(name)!;
        if (spec.EnvironmentVariable is { } variable)
        {
            var fromEnvironment = getEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return new ResolvedValue(fromEnvironment, $"environment variable {variable}");
            }
        }

        return spec.Default is null ? null : new ResolvedValue(spec.Default, $"default of {name}");
    }

    private static ulong ParseOffset(ResolvedValue offset) =>
        ulong.TryParse(
            offset.Value,
            NumberStyles.None,
            CultureInfo.InvariantCulture,
            out var parsed
        )
            ? parsed
            : throw new UsageException(
                $"{offset.Source} is {Quoting.Quote(offset.Value)}, which is not a whole number; give {OptionSpec.ServerIdOffset} a number from 0 to {uint.MaxValue} (default 100)"
            );

    /// <summary>
    /// The service ends up in a .cnf line, so only DNS name characters may pass: a space or a
    /// newline would change what mysqld reads.
    /// </summary>
    private static void ValidateService(ResolvedValue service)
    {
        var value = service.Value;
        var valid =
            !value.StartsWith('.')
            && !value.EndsWith('.')
            && !value.Contains("..", StringComparison.Ordinal);
        foreach (var c in value)
        {
            valid &= char.IsAsciiLetterOrDigit(c) || c is '-' or '.';
        }

        if (!valid)
        {
            throw new UsageException(
                $"{service.Source} is {Quoting.Quote(value)}, which is not a DNS name; give {OptionSpec.Service} the headless service name, e.g. mysql"
            );
        }
    }

    private sealed record ResolvedValue(string Value, string Source);
}
