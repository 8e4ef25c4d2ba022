using System.Globalization;
using System.Text;

namespace MysqlLocal.Status;

/// <summary>The human table of <c>status</c>, in the spirit of <c>kubectl get pods</c>.</summary>
public static class StatusTable
{
    public static string Render(IReadOnlyList<PodStatusRow> rows)
    {
        string[] header =
        [
            "POD",
            "PHASE",
            "READY",
            "ROLE",
            "LAG",
            "GTID",
            "MYSQL",
            "BACKUP",
            "HTTP",
            "RESTARTS",
        ];
        var lines = new List<string[]> { header };
        lines.AddRange(
            rows.Select(r =>
                new[]
                {
                    r.Name,
                    r.Phase,
                    r.Ready ? "yes" : "no",
                    r.Role ?? "-",
                    r.LagSeconds is { } lag
                        ? lag.ToString(CultureInfo.InvariantCulture) + "s"
                        : "-",
                    string.IsNullOrEmpty(r.Gtid) ? "-" : r.Gtid,
                    string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{r.Ports.Mysql}"),
                    r.Ports.Backup.ToString(CultureInfo.InvariantCulture),
                    r.Ports.Http.ToString(CultureInfo.InvariantCulture),
                    r.Containers.Sum(c => c.Restarts).ToString(CultureInfo.InvariantCulture),
                }
            )
        );
        var widths = Enumerable
            .Range(0, header.Length)
            .Select(i => lines.Max(l => l[i].Length))
            .ToArray();
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.AppendLine(
                string.Join("  ", line.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()
            );
        }

        return text.ToString();
    }
}
