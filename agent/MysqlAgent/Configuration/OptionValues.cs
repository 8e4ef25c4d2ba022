namespace MysqlAgent.Configuration;

/// <summary>
/// Raw option values: the command line first, then <c>MYSQL_AGENT_*</c> environment variables, then
/// the catalog's defaults. Unknown options and missing values are errors, never silently ignored.
/// </summary>
public sealed class OptionValues
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private OptionValues() { }

    public static OptionValues Parse(
        IReadOnlyList<string> args,
        Func<string, string?> getEnvironmentVariable
    )
    {
        var values = new OptionValues();
        var problems = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                problems.Add(
                    $"unexpected argument '{arg}': options look like --name value (see --help)"
                );
                continue;
            }

            var name = arg[2..];
            string? inlineValue = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }

            var spec = OptionCatalog.Find(name);
            if (spec is null)
            {
                problems.Add($"unknown option --{name} (see --help for the list)");
                continue;
            }

            if (spec.IsSecret)
            {
                problems.Add(SecretOnCommandLine(spec));
                if (
                    inlineValue is null
                    && i + 1 < args.Count
                    && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                )
                {
                    i++; // the value itself is not a second problem
                }

                continue;
            }

            if (spec.IsFlag)
            {
                values.Add(spec, inlineValue ?? "true");
                continue;
            }

            if (inlineValue is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    problems.Add($"option --{name} needs a value");
                    continue;
                }

                inlineValue = args[++i];
            }

            values.Add(spec, inlineValue);
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        foreach (var spec in OptionCatalog.All)
        {
            if (values._values.ContainsKey(spec.Name))
            {
                continue;
            }

            var fromEnvironment =
                getEnvironmentVariable(spec.EnvironmentName)
                ?? (spec.ExtraEnvironmentName is { } extra ? getEnvironmentVariable(extra) : null);
            if (string.IsNullOrEmpty(fromEnvironment))
            {
                continue;
            }

            if (spec.IsRepeatable)
            {
                foreach (
                    var item in fromEnvironment.Split(
                        ',',
                        StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
                    )
                )
                {
                    values.Add(spec, item);
                }
            }
            else
            {
                values.Add(spec, fromEnvironment);
            }
        }

        return values;
    }

    /// <summary>The one line for a password or token given as a plain value on a command line.</summary>
    public static string SecretOnCommandLine(OptionSpec spec) =>
        $"{spec.CommandLineName} is refused: a command line is readable by every process; "
        + $"use --{spec.FileOptionName} (a file mounted from a Secret) or {spec.EnvironmentName}";

    private void Add(OptionSpec spec, string value)
    {
        if (!_values.TryGetValue(spec.Name, out var list))
        {
            _values[spec.Name] = list = [];
        }
        else if (!spec.IsRepeatable)
        {
            // The last one wins, as with most command-line tools.
            list.Clear();
        }

        list.Add(value);
    }

    /// <summary>The value given, else the catalog default, else null.</summary>
    public string? Get(string name)
    {
        if (_values.TryGetValue(name, out var list) && list.Count > 0)
        {
            return list[^1];
        }

        return OptionCatalog.Find(name)?.Default
            ?? (
                OptionCatalog.Find(name) is null
                    ? throw new ArgumentException(
                        $"no option '{name}' in the catalog",
                        nameof(name)
                    )
                    : null
            );
    }

    public IReadOnlyList<string> GetAll(string name) =>
        _values.TryGetValue(name, out var list) ? list : [];

    public bool IsSet(string name) => _values.ContainsKey(name);
}
