using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Docs;

/// <summary>
/// Every command a user page shows (<c>./dev …</c>, <c>mysql-agent …</c>, <c>mysql-local …</c>,
/// <c>kubectl apply -k …</c>) exists and accepts the options shown: ./dev's commands from its
/// <c>case</c>, mysql-local's from its System.CommandLine grammar, mysql-agent's from its command
/// list and option catalogue, the bench's from its usage, kustomizations from the tree.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class UserPageCommandsTests
{
    [Fact]
    public void Every_command_in_a_user_page_exists_and_accepts_the_options_shown()
    {
        var problems = new List<string>();
        var seen = 0;
        foreach (var page in MarkdownPages.UserPages())
        {
            foreach (var code in MarkdownPages.Code(MarkdownPages.Read(page)))
            {
                foreach (var (program, words) in Commands(code))
                {
                    seen++;
                    var problem = program switch
                    {
                        "./dev" => CheckDev(words),
                        "mysql-local" => CheckLocal(words),
                        "mysql-agent" => CheckAgent(words),
                        "kubectl apply -k" => CheckKustomization(words),
                        _ => throw new InvalidOperationException(program),
                    };
                    if (problem is not null)
                    {
                        problems.Add($"{page}: `{program} {string.Join(' ', words)}`: {problem}");
                    }
                }
            }
        }

        Assert.True(seen > 20, $"found only {seen} commands in the user pages");
        Assert.True(
            problems.Count == 0,
            "commands that do not exist as shown:\n  " + string.Join("\n  ", problems)
        );
    }

    [Theory]
    [InlineData("./dev up --replicas 5", null)]
    [InlineData("./dev upp", "no such ./dev command")]
    [InlineData("./dev up --json", "--json")]
    [InlineData("./dev status --json", null)]
    [InlineData("mysql-agent switchover --to mysql-1 --lease-store kubernetes", null)]
    [InlineData("mysql-agent serve --no-such-option", "--no-such-option")]
    [InlineData("mysql-agent promote", "no such mysql-agent command")]
    [InlineData("kubectl apply -k manifests/overlays/mariadb", null)]
    [InlineData("kubectl apply -k manifests/overlays/postgres", "kustomization")]
    [InlineData("./dev bench --failover --failover-runs 3", null)]
    [InlineData("./dev bench --fast", "--fast")]
    public void The_check_refuses_what_does_not_exist(string line, string? expected)
    {
        var (program, words) = Commands(line).Single();
        var problem = program switch
        {
            "./dev" => CheckDev(words),
            "mysql-local" => CheckLocal(words),
            "mysql-agent" => CheckAgent(words),
            "kubectl apply -k" => CheckKustomization(words),
            _ => throw new InvalidOperationException(program),
        };
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.NotNull(problem);
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }

    /// <summary>The commands in one line of code: the program and the words after it, up to a shell separator or comment.</summary>
    private static IEnumerable<(string Program, string[] Words)> Commands(string code)
    {
        foreach (Match m in CommandStart().Matches(code))
        {
            var rest = code[(m.Index + m.Length)..];
            var end = Terminator().Match(rest);
            if (end.Success)
            {
                rest = rest[..end.Index];
            }

            var words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .Where(w => w != "\\")
                .ToArray();
            var program = m.Groups["program"].Value;
            if (words.Length > 0 || program == "kubectl apply -k")
            {
                yield return (program, words);
            }
        }
    }

    /// <summary>Option names among the words: <c>[--to</c>, <c>--agent-arg=--x</c> and <c>--base-port P\|auto]</c> give --to, --agent-arg, --base-port.</summary>
    private static IEnumerable<string> OptionsIn(IEnumerable<string> words) =>
        words
            .Select(w => w.TrimStart('[', '(').TrimEnd(']', ')'))
            .Where(w => w.StartsWith("--", StringComparison.Ordinal) && w.Length > 2)
            .Select(w => w.Split('=', 2)[0]);

    private static string? CheckDev(string[] words)
    {
        var command = words[0];
        if (!DevCommands().Contains(command))
        {
            return $"no such ./dev command (./dev has {string.Join(", ", DevCommands())})";
        }

        return command switch
        {
            "test" => null, // the rest goes to dotnet test
            "bench" => Unknown(OptionsIn(words[1..]), BenchOptions(), "./dev bench"),
            "mysql-image" or "prerequisites" => words.Length > 1 ? "takes no arguments" : null,
            _ => CheckLocal(words),
        };
    }

    private static string? CheckLocal(string[] words)
    {
        var root = ReferenceDocsTests.LocalRoot();
        if (words[0] == "--help")
        {
            return null;
        }

        var command = root.Subcommands.FirstOrDefault(c => c.Name == words[0] && !c.Hidden);
        if (command is null)
        {
            return "no such mysql-local command";
        }

        var accepted = command
            .Options.Concat(root.Options.Where(o => o.Recursive))
            .Select(o => o.Name)
            .Append("--help")
            .ToHashSet(StringComparer.Ordinal);
        return Unknown(OptionsIn(words[1..]), accepted, $"mysql-local {command.Name}");
    }

    private static string? CheckAgent(string[] words)
    {
        if (words[0] is "--help" or "--version")
        {
            return null;
        }

        if (!MysqlAgent.Commands.AgentCommandLine.Commands.Any(c => c.Name == words[0]))
        {
            return "no such mysql-agent command";
        }

        var accepted = OptionCatalog
            .All.Where(o => !o.IsSecret)
            .Select(o => o.CommandLineName)
            .Append("--help")
            .ToHashSet(StringComparer.Ordinal);
        return Unknown(OptionsIn(words[1..]), accepted, $"mysql-agent {words[0]}");
    }

    private static string? CheckKustomization(string[] words)
    {
        if (words.Length == 0)
        {
            return "no path after -k";
        }

        var path = words[0];
        return File.Exists(Repository.Of([.. path.Split('/'), "kustomization.yaml"]))
            ? null
            : $"{path} has no kustomization.yaml";
    }

    private static string? Unknown(
        IEnumerable<string> options,
        HashSet<string> accepted,
        string where
    )
    {
        var unknown = options.Where(o => !accepted.Contains(o)).ToList();
        return unknown.Count == 0 ? null : $"{where} does not accept {string.Join(", ", unknown)}";
    }

    /// <summary>The commands of ./dev's <c>case</c>.</summary>
    private static HashSet<string> DevCommands() =>
        DevCase()
            .Matches(File.ReadAllText(Repository.Of("dev")))
            .SelectMany(m => m.Groups["names"].Value.Split('|'))
            .ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> BenchOptions() =>
        BenchOption()
            .Matches(File.ReadAllText(Repository.Of("bench", "BenchOptions.cs")))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(
        @"(?<![\w./-])(?<program>\./dev|mysql-local|mysql-agent|kubectl apply -k)(?=\s|$)"
    )]
    private static partial Regex CommandStart();

    [GeneratedRegex(@"\s#|;|&&|\|\||\s\|\s|\$\(|`|\)\s*$")]
    private static partial Regex Terminator();

    [GeneratedRegex(@"^    (?<names>[a-z][a-z|-]*)\)$", RegexOptions.Multiline)]
    private static partial Regex DevCase();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex BenchOption();
}
