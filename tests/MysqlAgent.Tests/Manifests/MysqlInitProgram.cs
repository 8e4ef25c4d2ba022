using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>
/// mysql-init as the manifest tests can reach it. Preferred: the published binary
/// (<c>MYSQL_INIT_BINARY</c>, else <c>artifacts/mysql-init/mysql-init</c>), run with
/// <c>--dry-run</c>. mysql-init is a Native AOT program with internal types, so without a binary
/// the tests fall back to reading its source: the option and variable names it declares are its
/// string literals (<c>"--conf-dir"</c>, <c>"MYSQL_INIT_CONF_DIR"</c>).
/// </summary>
internal static partial class MysqlInitProgram
{
    public static string? Binary { get; } = FindBinary();

    public static IReadOnlySet<string> SourceLiterals { get; } = ReadSourceLiterals();

    public static IEnumerable<string> DeclaredOptions =>
        SourceLiterals.Where(l => OptionName().IsMatch(l));

    public static IEnumerable<string> DeclaredEnvironmentVariables =>
        SourceLiterals.Where(l => EnvironmentName().IsMatch(l));

    public static async Task<BufferedCommandResult> RunAsync(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment
    ) =>
        await Cli.Wrap(Binary ?? throw new InvalidOperationException("no mysql-init binary"))
            .WithArguments(args)
            .WithEnvironmentVariables(environment.ToDictionary(e => e.Key, e => (string?)e.Value))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    private static string? FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable("MYSQL_INIT_BINARY");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException(
                    $"MYSQL_INIT_BINARY={configured} does not exist"
                );
        }

        var published = Repository.Of("artifacts", "mysql-init", "mysql-init");
        return File.Exists(published) ? published : null;
    }

    private static HashSet<string> ReadSourceLiterals()
    {
        var literals = new HashSet<string>(StringComparer.Ordinal);
        foreach (
            var file in Directory.EnumerateFiles(
                Repository.Of("init"),
                "*.cs",
                SearchOption.AllDirectories
            )
        )
        {
            if (
                file.Contains("/bin/", StringComparison.Ordinal)
                || file.Contains("/obj/", StringComparison.Ordinal)
            )
            {
                continue;
            }

            foreach (Match match in StringLiteral().Matches(File.ReadAllText(file)))
            {
                literals.Add(match.Groups["text"].Value);
            }
        }

        return literals;
    }

    [GeneratedRegex("\"(?<text>[^\"\\\\\\n]*)\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("^--[a-z][a-z0-9-]*$")]
    private static partial Regex OptionName();

    [GeneratedRegex("^MYSQL_INIT_[A-Z0-9_]+$")]
    private static partial Regex EnvironmentName();
}
