using System.CommandLine;
using System.Reflection;
using System.Runtime.Versioning;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.TestSupport;
using MysqlLocal.Commands;

namespace MysqlAgent.Tests.Docs;

/// <summary>
/// The reference pages against the code's own catalogues, in both directions: an option, log
/// event, endpoint, /status field or exit code added without its line (or a line left behind
/// after one is removed) fails with a message naming it. The metrics table has its own test,
/// <c>Health/MetricsDocumentationTests</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class ReferenceDocsTests
{
    private static readonly Assembly AgentAssembly = typeof(OptionCatalog).Assembly;

    [Fact]
    public void Every_agent_option_has_its_row_with_its_environment_variable_and_default()
    {
        var rows = Rows("docs/reference/agent.md")
            .Where(r => r.Length >= 4 && r[1].Contains("MYSQL_AGENT_", StringComparison.Ordinal))
            .ToDictionary(r => FirstCode(r[1]), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var option in OptionCatalog.All)
        {
            if (!rows.TryGetValue(option.EnvironmentName, out var row))
            {
                problems.Add($"--{option.Name} ({option.EnvironmentName}) has no row: add one");
                continue;
            }

            var name = option.IsSecret ? "(environment only)" : $"`--{option.Name}`";
            Expect(problems, $"--{option.Name}: option cell", name, row[0]);
            Expect(problems, $"--{option.Name}: default cell", Default(option.Default), row[2]);
            if (
                option.ExtraEnvironmentName is { } extra
                && !row[1].Contains($"`{extra}`", StringComparison.Ordinal)
            )
            {
                problems.Add($"--{option.Name}: the environment cell does not name `{extra}`");
            }
        }

        var known = OptionCatalog.All.Select(o => o.EnvironmentName).ToHashSet();
        problems.AddRange(
            rows.Keys.Where(k => !known.Contains(k))
                .Select(k => $"{k} is documented but is no option: remove its row")
        );
        AssertNone(problems, "docs/reference/agent.md's options table");
    }

    [Fact]
    public void Every_agent_command_has_its_row()
    {
        var rows = CommandRows("docs/reference/agent.md");
        var commands = Commands.AgentCommandLine.Commands.Select(c => c.Name).ToHashSet();
        AssertSame(commands, rows, "docs/reference/agent.md's commands table", "command");
    }

    [Fact]
    public void Every_mysql_init_option_has_its_row_with_its_environment_variable_and_default()
    {
        var source = File.ReadAllText(Repository.Of("init", "OptionSpec.cs"));
        var constants = InitConstant()
            .Matches(source)
            .ToDictionary(m => m.Groups["field"].Value, m => m.Groups["name"].Value);
        var options = InitOption()
            .Matches(source)
            .Select(m =>
                (
                    Name: constants[m.Groups["field"].Value],
                    Environment: Unquote(m.Groups["env"].Value),
                    Default: Unquote(m.Groups["default"].Value)
                )
            )
            .ToList();
        Assert.True(
            options.Count >= 8,
            $"read only {options.Count} options from init/OptionSpec.cs"
        );
        var rows = Rows("docs/reference/init.md")
            .Where(r => r.Length >= 4 && r[0].StartsWith("`--", StringComparison.Ordinal))
            .ToDictionary(r => FirstCode(r[0]), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var option in options)
        {
            if (!rows.TryGetValue(option.Name, out var row))
            {
                problems.Add($"{option.Name} has no row: add one");
                continue;
            }

            Expect(
                problems,
                $"{option.Name}: environment cell",
                option.Environment is null ? "none" : $"`{option.Environment}`",
                row[1]
            );
            if (option.Default is not null)
            {
                Expect(problems, $"{option.Name}: default cell", $"`{option.Default}`", row[2]);
            }
            else if (row[2].Contains('`', StringComparison.Ordinal))
            {
                problems.Add($"{option.Name}: has no default, the page shows {row[2]}");
            }
        }

        var known = options.Select(o => o.Name).ToHashSet();
        problems.AddRange(
            rows.Keys.Where(k => !known.Contains(k))
                .Select(k => $"{k} is documented but is no option: remove its row")
        );
        AssertNone(problems, "docs/reference/init.md's options table");
    }

    [Fact]
    public void Every_mysql_local_command_and_option_has_its_row()
    {
        var root = LocalRoot();
        var commands = root.Subcommands.Where(c => !c.Hidden).ToList();
        AssertSame(
            commands.Select(c => c.Name).ToHashSet(),
            CommandRows("docs/reference/local.md"),
            "docs/reference/local.md's commands table",
            "command"
        );

        var rows = Rows("docs/reference/local.md")
            .Where(r => r.Length >= 4 && r[0].StartsWith("`--", StringComparison.Ordinal))
            .ToDictionary(r => FirstCode(r[0]), StringComparer.Ordinal);
        var problems = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in root.Options.Where(o => o.Recursive && !IsBuiltIn(o)))
        {
            known.Add(option.Name);
            if (!rows.TryGetValue(option.Name, out var row) || row[1] != "every command")
            {
                problems.Add($"{option.Name} (every command) has no row saying 'every command'");
            }
        }

        foreach (var command in commands)
        {
            foreach (var option in command.Options.Where(o => !IsBuiltIn(o)))
            {
                known.Add(option.Name);
                if (!rows.TryGetValue(option.Name, out var row))
                {
                    problems.Add($"{option.Name} of '{command.Name}' has no row: add one");
                }
                else if (!row[1].Contains($"`{command.Name}`", StringComparison.Ordinal))
                {
                    problems.Add(
                        $"{option.Name}: the commands cell does not name `{command.Name}`"
                    );
                }
            }
        }

        problems.AddRange(
            rows.Keys.Where(k => !known.Contains(k))
                .Select(k => $"{k} is documented but is no option: remove its row")
        );
        AssertNone(problems, "docs/reference/local.md's options table");
    }

    [Fact]
    public void Every_log_event_has_its_row_with_its_level()
    {
        var events = LogEvents();
        var rows = Rows("docs/reference/logs.md")
            .Where(r => r.Length >= 4 && int.TryParse(r[0], out _))
            .ToList();
        var documented = new Dictionary<int, string>();
        var problems = new List<string>();
        foreach (var row in rows)
        {
            if (
                !documented.TryAdd(
                    int.Parse(row[0], System.Globalization.CultureInfo.InvariantCulture),
                    row[1]
                )
            )
            {
                problems.Add($"event {row[0]} is listed twice");
            }
        }

        foreach (var (id, e) in events)
        {
            if (!documented.TryGetValue(id, out var level))
            {
                problems.Add($"event {id} ({e.Method}, {e.Level}) has no row: add one");
            }
            else if (level != e.Level.ToString())
            {
                problems.Add($"event {id} ({e.Method}) is {e.Level}, the page says {level}");
            }
        }

        problems.AddRange(
            documented
                .Keys.Where(id => !events.ContainsKey(id))
                .Select(id =>
                    $"event {id} is documented but no [LoggerMessage] has it: remove its row"
                )
        );
        AssertNone(problems, "docs/reference/logs.md");
    }

    [Fact]
    public void Every_warning_and_error_event_says_what_to_do_in_troubleshooting()
    {
        var events = LogEvents();
        var rows = Rows("docs/user/troubleshooting.md")
            .Where(r => r.Length >= 3 && int.TryParse(r[0], out _))
            .Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
        var problems = events
            .Where(e => e.Value.Level >= LogLevel.Warning && !rows.Contains(e.Key))
            .Select(e =>
                $"event {e.Key} ({e.Value.Method}, {e.Value.Level}) has no row: say what it means and what to do"
            )
            .Concat(
                rows.Where(id => !events.ContainsKey(id))
                    .Select(id => $"event {id} is listed but no [LoggerMessage] has it")
            )
            .ToList();
        AssertNone(problems, "docs/user/troubleshooting.md");
    }

    [Fact]
    public void Every_http_endpoint_has_its_row()
    {
        var mapped = new HashSet<string>(StringComparer.Ordinal);
        foreach (
            var file in Directory.EnumerateFiles(
                Repository.Of("agent", "MysqlAgent"),
                "*.cs",
                SearchOption.AllDirectories
            )
        )
        {
            if (
                file.Contains(
                    $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}",
                    StringComparison.Ordinal
                )
            )
            {
                continue;
            }

            foreach (Match m in MapCall().Matches(File.ReadAllText(file)))
            {
                var verb = m.Groups["verb"].Value is "Metrics"
                    ? "GET"
                    : m.Groups["verb"].Value.ToUpperInvariant();
                mapped.Add($"{verb} {Route(m.Groups["route"].Value)}");
            }
        }

        Assert.Contains("GET /status", mapped);
        var documented = Rows("docs/reference/http.md")
            .Select(r => EndpointCell().Match(r[0]))
            .Where(m => m.Success)
            .Select(m => m.Groups["endpoint"].Value)
            .ToHashSet(StringComparer.Ordinal);
        AssertSame(mapped, documented, "docs/reference/http.md's endpoints table", "endpoint");
    }

    [Fact]
    public void Every_status_field_has_its_row()
    {
        var context = StatusJsonContext.Default;
        var fields = Names(context.StatusDocument).ToHashSet(StringComparer.Ordinal);
        foreach (var property in context.StatusDocument.Properties)
        {
            if (
                property.PropertyType == typeof(ReplicationSetupDocument)
                || property.PropertyType == typeof(CandidateDocument)
                || property.PropertyType
                    == typeof(global::MysqlAgent.Archive.Schedule.BackupStatusDocument)
            )
            {
                fields.UnionWith(
                    Names(context.GetTypeInfo(property.PropertyType)!)
                        .Select(n => $"{property.Name}.{n}")
                );
            }
        }

        Assert.Contains("candidate.executed", fields);
        var documented = Rows(Section(Read("docs/reference/http.md"), "/status fields"))
            .Select(r => FieldCell().Match(r[0]))
            .Where(m => m.Success)
            .Select(m => m.Groups["field"].Value)
            .ToHashSet(StringComparer.Ordinal);
        AssertSame(fields, documented, "docs/reference/http.md's /status tables", "field");
    }

    [Fact]
    public void Every_exit_code_of_the_three_programs_has_its_row()
    {
        var page = Read("docs/reference/exit-codes.md");

        var agent = typeof(Commands.ExitCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => $"{f.GetRawConstantValue()} `{f.Name}`")
            .ToHashSet(StringComparer.Ordinal);
        AssertSame(
            agent,
            CodeRows(Section(page, "mysql-agent"), named: true),
            "exit codes, mysql-agent",
            "exit code"
        );

        var init = InitExitCode()
            .Matches(File.ReadAllText(Repository.Of("init", "ExitCodes.cs")))
            .Select(m => $"{m.Groups["code"].Value} `{m.Groups["name"].Value}`")
            .ToHashSet(StringComparer.Ordinal);
        AssertSame(
            init,
            CodeRows(Section(page, "mysql-init"), named: true),
            "exit codes, mysql-init",
            "exit code"
        );

        var local = ReturnCode()
            .Matches(File.ReadAllText(Repository.Of("local", "Program.cs")))
            .Select(m => m.Groups["code"].Value)
            .Append("0")
            .ToHashSet(StringComparer.Ordinal);
        AssertSame(
            local,
            CodeRows(Section(page, "mysql-local"), named: false),
            "exit codes, mysql-local",
            "exit code"
        );
    }

    /// <summary>The log events of the agent's assembly by id; two methods with one id fail here.</summary>
    internal static IReadOnlyDictionary<int, (string Method, LogLevel Level)> LogEvents()
    {
        var events = new Dictionary<int, (string, LogLevel)>();
        var methods = AgentAssembly
            .GetTypes()
            .SelectMany(t =>
                t.GetMethods(
                    BindingFlags.Public
                        | BindingFlags.NonPublic
                        | BindingFlags.Static
                        | BindingFlags.DeclaredOnly
                )
            )
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null);
        foreach (var (method, attribute) in methods)
        {
            var name = $"{method.DeclaringType!.Name}.{method.Name}";
            Assert.True(
                events.TryAdd(attribute!.EventId, (name, attribute.Level)),
                $"event id {attribute.EventId} is used by {events.GetValueOrDefault(attribute.EventId).Item1} and {name}"
            );
        }

        Assert.True(events.Count > 50, $"found only {events.Count} [LoggerMessage] methods");
        return events;
    }

    internal static RootCommand LocalRoot() =>
        (RootCommand)
            typeof(LocalCommandLine)
                .GetField("Root", BindingFlags.NonPublic | BindingFlags.Static)!
                .GetValue(null)!;

    internal static bool IsBuiltIn(Option option) =>
        option.Name is "--help" or "--version" or "-h" or "-?" || option.Hidden;

    private static IEnumerable<string> Names(JsonTypeInfo info) =>
        info.Properties.Select(p => p.Name);

    private static string Route(string route)
    {
        if (route.StartsWith('"'))
        {
            return route.Trim('"');
        }

        // A constant such as BackupStreamFormat.Path: read its value from the agent's assembly.
        var (type, field) = (
            route[..route.LastIndexOf('.')],
            route[(route.LastIndexOf('.') + 1)..]
        );
        var value = AgentAssembly
            .GetTypes()
            .Where(t => t.Name == type.Split('.')[^1])
            .Select(t =>
                t.GetField(
                        field,
                        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static
                    )
                    ?.GetRawConstantValue()
            )
            .OfType<string>()
            .FirstOrDefault();
        return value ?? throw new InvalidOperationException($"cannot resolve the route {route}");
    }

    private static HashSet<string> CommandRows(string page) =>
        Rows(page)
            .Where(r => r.Length >= 2 && CommandCell().IsMatch(r[0]))
            .Select(r => FirstCode(r[0]))
            .ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> CodeRows(string section, bool named) =>
        Rows(section)
            .Where(r => r.Length >= 2 && int.TryParse(r[0], out _))
            .Select(r => named ? $"{r[0]} {r[1]}" : r[0])
            .ToHashSet(StringComparer.Ordinal);

    private static string Default(string? value) => value is null ? "none" : $"`{value}`";

    private static void Expect(List<string> problems, string what, string expected, string actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            problems.Add($"{what}: expected {expected}, the page says {actual}");
        }
    }

    private static void AssertSame(
        IReadOnlySet<string> code,
        IReadOnlySet<string> documented,
        string where,
        string what
    )
    {
        var problems = code.Except(documented)
            .Select(x => $"{what} {x} is not documented: add its row")
            .Concat(
                documented
                    .Except(code)
                    .Select(x =>
                        $"{what} {x} is documented but not in the code: remove or fix its row"
                    )
            )
            .ToList();
        AssertNone(problems, where);
    }

    private static void AssertNone(List<string> problems, string where) =>
        Assert.True(
            problems.Count == 0,
            $"{where} is out of date:\n  " + string.Join("\n  ", problems)
        );

    private static string Read(string page) => MarkdownPages.Read(page);

    private static IReadOnlyList<string[]> Rows(string pageOrText) =>
        MarkdownPages.Rows(
            pageOrText.EndsWith(".md", StringComparison.Ordinal) ? Read(pageOrText) : pageOrText
        );

    private static string Section(string text, string heading) =>
        MarkdownPages.Section(text, heading);

    private static string FirstCode(string cell)
    {
        var m = Code().Match(cell);
        return m.Success ? m.Groups[1].Value : cell;
    }

    private static string? Unquote(string value) => value == "null" ? null : value.Trim('"');

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"^`[a-z][a-z-]*`$")]
    private static partial Regex CommandCell();

    [GeneratedRegex(@"^`(?<endpoint>(?:GET|POST|PUT|DELETE|PATCH) /[^`\s]*)`$")]
    private static partial Regex EndpointCell();

    [GeneratedRegex(@"^`(?<field>[a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*)?)`$")]
    private static partial Regex FieldCell();

    [GeneratedRegex(@"public const string (?<field>\w+) = ""(?<name>--[\w-]+)"";")]
    private static partial Regex InitConstant();

    [GeneratedRegex(
        @"new\(\s*(?<field>[A-Z]\w*),\s*(?<env>""[^""]*""|null),\s*(?<default>""[^""]*""|null),"
    )]
    private static partial Regex InitOption();

    [GeneratedRegex(@"public const int (?<name>\w+) = (?<code>\d+);")]
    private static partial Regex InitExitCode();

    [GeneratedRegex(@"\breturn (?<code>\d+);")]
    private static partial Regex ReturnCode();

    [GeneratedRegex(
        @"\.Map(?<verb>Get|Post|Put|Delete|Patch|Metrics)\(\s*(?<route>""[^""]*""|[A-Za-z_][\w.]*)"
    )]
    private static partial Regex MapCall();
}
