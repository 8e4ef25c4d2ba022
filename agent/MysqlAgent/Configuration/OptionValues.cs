using System.CommandLine;
using System.CommandLine.Parsing;

namespace MysqlAgent.Configuration;

/// <summary>
/// Raw option values: the command line (parsed by System.CommandLine, with a grammar built from
/// <see cref="OptionCatalog"/>), then <c>MYSQL_AGENT_*</c> environment variables, then the
/// catalog's defaults. Unknown options, missing values and plain secrets on the command line are
/// <see cref="Problems"/>, never silently ignored; <see cref="AgentOptionsReader"/> reports them
/// together with every bad value.
/// </summary>
public sealed class OptionValues
{
    private static readonly Dictionary<string, Option> Grammar = OptionCatalog.All.ToDictionary(
        spec => spec.Name,
        ToOption,
        StringComparer.Ordinal
    );

    private static readonly Command Command = CommandOf(Grammar.Values);

    // No @file expansion: a file of arguments would be a second, unvalidated source of options.
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    private readonly ParseResult _parsed;
    private readonly Func<string, string?> _getEnvironmentVariable;
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);

    private OptionValues(ParseResult parsed, Func<string, string?> getEnvironmentVariable)
    {
        _parsed = parsed;
        _getEnvironmentVariable = getEnvironmentVariable;
        Problems = CollectProblems();
    }

    /// <summary>One line each: unknown options, missing values, secrets given on the command line.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static OptionValues Parse(
        IReadOnlyList<string> args,
        Func<string, string?> getEnvironmentVariable
    ) => new(Command.Parse(args, Parser), getEnvironmentVariable);

    /// <summary>The value given (the last one, on the command line), else the catalog default, else null.</summary>
    public string? Get(string name)
    {
        var spec = Spec(name);
        var values = GetAll(name);
        return values.Count > 0 ? values[^1] : spec.Default;
    }

    /// <summary>Every value given: the command line's, else the environment's (comma-separated for a repeatable option).</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var spec = Spec(name);
        if (FromCommandLine(spec) is { } given)
        {
            return given;
        }

        var text =
            _getEnvironmentVariable(spec.EnvironmentName)
            ?? (spec.ExtraEnvironmentName is { } extra ? _getEnvironmentVariable(extra) : null);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        return spec.IsRepeatable
            ? text.Split(
                ',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
            )
            : [text];
    }

    public bool IsSet(string name) => GetAll(name).Count > 0;

    private List<string>? FromCommandLine(OptionSpec spec)
    {
        if (
            spec.IsSecret
            || _refused.Contains(spec.Name)
            || _parsed.GetResult(Grammar[spec.Name]) is not { Implicit: false } result
        )
        {
            return null;
        }

        return spec.IsFlag
            ? [result.GetValueOrDefault<bool>() ? "true" : "false"]
            : result.Tokens.Select(t => t.Value).ToList();
    }

    private static OptionSpec Spec(string name) =>
        OptionCatalog.Find(name)
        ?? throw new ArgumentException($"no option '{name}' in the catalog", nameof(name));

    private List<string> CollectProblems()
    {
        var problems = new List<string>();
        foreach (var spec in OptionCatalog.All)
        {
            if (spec.IsSecret && _parsed.GetResult(Grammar[spec.Name]) is { Implicit: false })
            {
                problems.Add(SecretOnCommandLine(spec));
            }
        }

        foreach (var error in _parsed.Errors)
        {
            if (error.SymbolResult is OptionResult option)
            {
                var name = option.Option.Name[2..];
                if (_refused.Add(name))
                {
                    problems.Add(
                        option.Tokens.Count == 0 || option.Tokens[^1].Value.StartsWith('-')
                            ? $"option --{name} needs a value"
                            : error.Message
                    );
                }
            }
        }

        var afterUnknownOption = false;
        foreach (var token in _parsed.UnmatchedTokens)
        {
            if (token.StartsWith('-'))
            {
                problems.Add($"unknown option {token.Split('=')[0]} (see --help for the list)");
                afterUnknownOption = !token.Contains('=', StringComparison.Ordinal);
            }
            else if (afterUnknownOption)
            {
                afterUnknownOption = false; // the unknown option's value: not a second problem
            }
            else
            {
                problems.Add(
                    $"unexpected argument '{token}': options look like --name value (see --help)"
                );
            }
        }

        return problems;
    }

    /// <summary>The one line for a password or token given as a plain value on a command line.</summary>
    public static string SecretOnCommandLine(OptionSpec spec) =>
        $"{spec.CommandLineName} is refused: a command line is readable by every process; "
        + $"use --{spec.FileOptionName} (a file mounted from a Secret) or {spec.EnvironmentName}";

    private static Option ToOption(OptionSpec spec)
    {
        if (spec.IsFlag)
        {
            return new Option<bool>(spec.CommandLineName);
        }

        // Every occurrence takes exactly one value; for a single-valued option the last one wins,
        // as with most command-line tools. A secret is recognised, with or without its value, only
        // to be refused.
        var option = new Option<string[]>(spec.CommandLineName)
        {
            Arity = spec.IsSecret ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            Hidden = spec.IsSecret,
        };
        // System.CommandLine takes "--data-dir --dry-run" as a data dir named "--dry-run".
        option.Validators.Add(result =>
        {
            if (
                !spec.IsSecret
                && result.Tokens.Any(t => t.Value.StartsWith("--", StringComparison.Ordinal))
            )
            {
                result.AddError($"option {spec.CommandLineName} needs a value");
            }
        });
        return option;
    }

    private static Command CommandOf(IEnumerable<Option> options)
    {
        var command = new Command("mysql-agent");
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        return command;
    }
}
