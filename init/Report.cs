using System.Globalization;
using System.Text;
using MysqlAgent.Common;

namespace MysqlInit;

/// <summary>What mysql-init tells the operator on stdout.</summary>
internal static class Report
{
    /// <summary>One line, so that <c>kubectl logs -c init-mysql</c> shows the whole outcome at a glance.</summary>
    public static string Success(ConfigPlan plan, IReadOnlyList<FileResult> results)
    {
        var files = string.Join(
            ", ",
            results.Select(r => $"{r.Path} ({r.Outcome.ToString().ToLowerInvariant()})")
        );
        return $"mysql-init: {Summary(plan)}; files: {files}";
    }

    public static string DryRun(ConfigPlan plan)
    {
        var text = new StringBuilder()
            .Append("mysql-init: dry run, nothing written: ")
            .AppendLine(Summary(plan));
        if (File.Exists(plan.StaleRoleFile))
        {
            text.Append("would remove ").AppendLine(plan.StaleRoleFile);
        }

        foreach (var file in plan.Writes)
        {
            var state = AtomicFile.HasContent(file.Path, file.Content)
                ? "already up to date"
                : "would write";
            text.Append(state).Append(' ').Append(file.Path);
            if (file.CopiedFrom is not null)
            {
                text.Append(
                    CultureInfo.InvariantCulture,
                    $" (copy of {file.CopiedFrom}, {file.Content.Length} bytes)"
                );
            }

            text.AppendLine(":");
            foreach (var line in Encoding.UTF8.GetString(file.Content).Split('\n'))
            {
                if (line.Length > 0)
                {
                    text.Append("  | ").AppendLine(line);
                }
            }
        }

        return text.ToString();
    }

    private static string Summary(ConfigPlan plan) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"pod {plan.PodName}, ordinal {plan.Ordinal}, server-id {plan.ServerId}, role {plan.Role}"
        );
}
