using MysqlAgent.TestSupport;

namespace MysqlBench;

/// <summary>
/// Where a run's figures are kept as data: <c>bench/results/&lt;UTC date and time&gt;-&lt;kind&gt;.json</c>
/// in the checkout, so that the docs quote files rather than copied numbers.
/// </summary>
internal static class ResultsFile
{
    public static string Folder => Repository.Of("bench", "results");

    /// <summary><c>failover</c>, <c>clone</c>, <c>backups</c> or <c>all</c>, with <c>-quick</c> for a smoke run.</summary>
    public static string Kind(BenchOptions options) =>
        (
            options.Failover ? "failover"
            : options.CloneOnly ? "clone"
            : options.BackupsOnly ? "backups"
            : options.ProxyOnly ? "proxy"
            : "all"
        ) + (options.Quick ? "-quick" : "");

    public static string PathFor(DateTimeOffset startedAt, BenchOptions options) =>
        Path.Combine(Folder, $"{startedAt.UtcDateTime:yyyy-MM-dd-HHmmss}-{Kind(options)}.json");

    /// <summary>The checkout's commit (with <c>-dirty</c> when it has changes), or <c>unknown</c> without git.</summary>
    public static async Task<string> CommitAsync(CancellationToken ct)
    {
        try
        {
            var head = await Processes
                .RunAsync("git", ["-C", Repository.Root, "rev-parse", "HEAD"], ct, check: false)
                .ConfigureAwait(false);
            if (head.ExitCode != 0)
            {
                return "unknown";
            }

            var status = await Processes
                .RunAsync(
                    "git",
                    ["-C", Repository.Root, "status", "--porcelain", "--untracked-files=no"],
                    ct,
                    check: false
                )
                .ConfigureAwait(false);
            var commit = head.Output.Trim();
            return status.ExitCode == 0 && status.Output.Trim().Length > 0
                ? commit + "-dirty"
                : commit;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
