using System.Text.Json;

namespace MysqlAgent.TestSupport;

/// <summary>Every PromQL query of the shipped Grafana dashboard (manifests/components/alerts), with its panel's title.</summary>
public static class DashboardQueries
{
    public static string File =>
        Repository.Of("manifests", "components", "alerts", "mysql-agent-dashboard.json");

    public static IReadOnlyList<(string Panel, string Expression)> Read()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(File));
        return document
            .RootElement.GetProperty("panels")
            .EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p =>
                p.GetProperty("targets")
                    .EnumerateArray()
                    .Select(t =>
                        (
                            p.GetProperty("title").GetString() ?? "",
                            t.GetProperty("expr").GetString() ?? ""
                        )
                    )
            )
            .ToList();
    }
}
