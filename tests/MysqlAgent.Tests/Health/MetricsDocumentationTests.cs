using System.Text.RegularExpressions;
using MysqlAgent.Metrics;
using MysqlAgent.TestSupport;
using Prometheus;

namespace MysqlAgent.Tests.Health;

/// <summary>docs/reference/metrics.md's table and AgentMetrics must name the same metrics, types and labels.</summary>
public sealed partial class MetricsDocumentationTests
{
    private sealed record MetricDescription(string Name, string Type, string Labels);

    [Fact]
    public void Every_registered_metric_is_documented_and_every_documented_metric_is_registered()
    {
        var registered = Registered();
        var documented = Documented();

        var undocumented = registered.Except(documented).Select(m => m.ToString()).ToList();
        var stale = documented.Except(registered).Select(m => m.ToString()).ToList();

        Assert.True(
            undocumented.Count == 0 && stale.Count == 0,
            "docs/reference/metrics.md's metrics table is out of date.\n  registered but not documented (add a row):\n    "
                + string.Join("\n    ", undocumented)
                + "\n  documented but not registered (remove or fix the row):\n    "
                + string.Join("\n    ", stale)
        );
        Assert.NotEmpty(registered);
    }

    private static HashSet<MetricDescription> Registered()
    {
        var metrics = new AgentMetrics(Prometheus.Metrics.NewCustomRegistry());
        return typeof(AgentMetrics)
            .GetProperties()
            .Where(p => typeof(Collector).IsAssignableFrom(p.PropertyType))
            .Select(p => (Collector)p.GetValue(metrics)!)
            .Select(c => new MetricDescription(
                c.Name,
                c switch
                {
                    Counter => "counter",
                    Gauge => "gauge",
                    Histogram => "histogram",
                    Summary => "summary",
                    _ => c.GetType().Name,
                },
                string.Join(",", c.LabelNames)
            ))
            .ToHashSet();
    }

    private static HashSet<MetricDescription> Documented()
    {
        var text = File.ReadAllText(Repository.Of("docs", "reference", "metrics.md"));
        var rows = new HashSet<MetricDescription>();
        foreach (Match row in RowPattern().Matches(text))
        {
            var labels = LabelPattern()
                .Matches(row.Groups["labels"].Value)
                .Select(m => m.Groups[1].Value);
            Assert.True(
                rows.Add(
                    new MetricDescription(
                        row.Groups["name"].Value,
                        row.Groups["type"].Value.Trim(),
                        string.Join(",", labels)
                    )
                ),
                $"{row.Groups["name"].Value} is listed twice"
            );
        }

        return rows;
    }

    // | `mysql_agent_x` | gauge | `a`, `b` | meaning |
    [GeneratedRegex(
        @"^\|\s*`(?<name>mysql_agent_[a-z0-9_]*)`\s*\|(?<type>[^|]*)\|(?<labels>[^|]*)\|",
        RegexOptions.Multiline
    )]
    private static partial Regex RowPattern();

    [GeneratedRegex("`([a-z_][a-z0-9_]*)`")]
    private static partial Regex LabelPattern();
}
