using System.Text.RegularExpressions;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>The Secret <c>mysql</c> as the user creates it: from the one command in docs/user/kubernetes.md.</summary>
internal static partial class SecretKeys
{
    public const string SecretName = "mysql";

    public static string Walkthrough { get; } =
        File.ReadAllText(Repository.Of("docs", "user", "kubernetes.md"));

    /// <summary>The keys of <c>kubectl create secret generic mysql --from-literal=KEY=...</c>.</summary>
    public static IReadOnlySet<string> Documented { get; } = ReadDocumented();

    private static HashSet<string> ReadDocumented()
    {
        var command = CreateSecretCommand().Match(Walkthrough);
        if (!command.Success)
        {
            throw new InvalidOperationException(
                "docs/user/kubernetes.md has no `kubectl create secret generic mysql` command"
            );
        }

        return FromLiteral()
            .Matches(command.Value)
            .Select(m => m.Groups["key"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"kubectl create secret generic mysql(?:[^\n]*\\\n)*[^\n]*")]
    private static partial Regex CreateSecretCommand();

    [GeneratedRegex(@"--from-literal=(?<key>[a-z0-9-]+)=")]
    private static partial Regex FromLiteral();
}
