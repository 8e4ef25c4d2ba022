using System.Text.Json;
using System.Text.RegularExpressions;
using MysqlAgent.Metrics;
using MysqlAgent.Tests.Manifests;
using MysqlAgent.TestSupport;
using Prometheus;

namespace MysqlAgent.Tests.Alerts;

/// <summary>
/// The alerts component (manifests/components/alerts): the PrometheusRule and the plain rule file
/// are the same rules, every alert says how bad it is and where its runbook is, and every query
/// names a metric that exists.
/// </summary>
public sealed partial class AlertRuleFileTests
{
    /// <summary>Metrics of other exporters that the cluster group of the rules uses.</summary>
    private static readonly HashSet<string> OtherExporters =
    [
        "up",
        "kube_pod_init_container_status_restarts_total",
        "certmanager_certificate_expiration_timestamp_seconds",
    ];

    [Fact]
    public async Task An_overlay_with_the_component_renders_a_PrometheusRule_with_the_rule_files_groups()
    {
        var documents = await RenderOverlayWithComponentAsync();
        var rule = documents.Single(d => AlertFiles.Text(d, "kind") == "PrometheusRule");

        Assert.Equal("monitoring.coreos.com/v1", AlertFiles.Text(rule, "apiVersion"));
        // Regenerate: { sed -n '1,/^spec:/p' prometheusrule.yaml; sed -n '/^groups:/,$p'
        // mysql-agent.rules.yaml | sed 's/^/  /'; } > new && mv new prometheusrule.yaml
        Assert.True(
            Canonical(AlertFiles.Groups()) == Canonical(AlertFiles.Map(rule["spec"])["groups"]),
            "prometheusrule.yaml's groups differ from mysql-agent.rules.yaml's: copy the rule file's groups under spec: (see this test's comment)"
        );
    }

    [Fact]
    public async Task The_dashboard_ConfigMap_carries_the_plain_dashboard_file_for_Grafanas_sidecar()
    {
        var documents = await RenderOverlayWithComponentAsync();
        var map = documents.Single(d =>
            AlertFiles.Text(d, "kind") == "ConfigMap"
            && AlertFiles.Text(AlertFiles.Map(d["metadata"]), "name") == "mysql-agent-dashboard"
        );
        var labels = AlertFiles.Map(AlertFiles.Map(map["metadata"])["labels"]);
        var data = AlertFiles.Map(map["data"]);

        Assert.Equal("1", labels["grafana_dashboard"]);
        Assert.Equal(
            File.ReadAllText(DashboardQueries.File),
            AlertFiles.Text(data, "mysql-agent-dashboard.json")
        );
    }

    [Fact]
    public void The_base_and_the_overlays_leave_the_component_to_the_user()
    {
        var kustomizations = Directory.EnumerateFiles(
            Repository.Of("manifests"),
            "kustomization.yaml",
            SearchOption.AllDirectories
        );

        Assert.All(
            kustomizations.Where(k =>
                !k.StartsWith(AlertFiles.Component, StringComparison.Ordinal)
            ),
            k => Assert.DoesNotContain("components/alerts", File.ReadAllText(k))
        );
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_a_description_with_its_value_and_a_runbook_section()
    {
        var anchors = Anchors(File.ReadAllText(AlertFiles.Runbook));
        var alerts = AlertFiles.Alerts();

        Assert.NotEmpty(alerts);
        Assert.All(
            alerts,
            alert =>
            {
                var name = AlertFiles.Text(alert, "alert");
                var labels = AlertFiles.Map(alert["labels"]);
                var annotations = AlertFiles.Map(alert["annotations"]);
                Assert.Contains(
                    AlertFiles.Text(labels, "severity"),
                    (string[])["critical", "warning"]
                );
                Assert.NotEmpty(AlertFiles.Text(annotations, "summary"));
                Assert.Contains("{{ $value", AlertFiles.Text(annotations, "description"));
                var url = AlertFiles.Text(annotations, "runbook_url");
                Assert.Equal("/docs/user/alerts.md#" + name.ToLowerInvariant(), url);
                Assert.True(
                    anchors.Contains(url.Split('#')[1]),
                    $"{name}: docs/user/alerts.md has no section for #{url.Split('#')[1]}"
                );
            }
        );
    }

    [Fact]
    public void A_description_names_the_pod_exactly_when_the_alert_carries_one()
    {
        // What promtool's firing cases expect each alert's labels to be (checked by promtool itself).
        var withPod = AlertFiles
            .List(
                AlertFiles.Map(
                    AlertFiles.Load(
                        File.ReadAllText(Path.Combine(AlertFiles.PromtoolTests, "firing.test.yaml"))
                    )
                )["tests"]
            )
            .SelectMany(t => AlertFiles.List(AlertFiles.Map(t)["alert_rule_test"]))
            .Select(AlertFiles.Map)
            .Where(c => AlertFiles.List(c["exp_alerts"]).Count > 0)
            .GroupBy(c => AlertFiles.Text(c, "alertname"))
            .ToDictionary(
                g => g.Key,
                g =>
                    AlertFiles
                        .Map(
                            AlertFiles.Map(AlertFiles.List(g.First()["exp_alerts"])[0])[
                                "exp_labels"
                            ]
                        )
                        .ContainsKey("pod")
            );

        Assert.All(
            AlertFiles.Alerts(),
            alert =>
            {
                var name = AlertFiles.Text(alert, "alert");
                var description = AlertFiles.Text(
                    AlertFiles.Map(alert["annotations"]),
                    "description"
                );
                Assert.True(
                    withPod[name]
                        == description.Contains("{{ $labels.pod }}", StringComparison.Ordinal),
                    $"{name}: its alerts {(withPod[name] ? "carry" : "carry no")} pod label, its description: {description}"
                );
            }
        );
    }

    [Fact]
    public void Every_query_of_the_rules_and_the_dashboard_names_a_metric_the_agent_exports()
    {
        var exported = Exported();
        var queries = AlertFiles
            .Alerts()
            .Select(a =>
                (Where: AlertFiles.Text(a, "alert"), Expression: AlertFiles.Text(a, "expr"))
            )
            .Concat(DashboardQueries.Read().Select(q => (Where: q.Panel, q.Expression)))
            .ToList();

        Assert.All(
            queries,
            query =>
            {
                var names = MetricNames(query.Expression);
                Assert.NotEmpty(names);
                Assert.All(
                    names,
                    n =>
                        Assert.True(
                            exported.Contains(n) || OtherExporters.Contains(n),
                            $"{query.Where}: {n} is not a metric of AgentMetrics ({query.Expression})"
                        )
                );
            }
        );
    }

    /// <summary>
    /// The metric names of a PromQL expression: what is left after label matchers, ranges and
    /// grouping lists are dropped, and that is neither a function (followed by a parenthesis) nor a
    /// binary operator's keyword.
    /// </summary>
    private static List<string> MetricNames(string expression)
    {
        var bare = Grouping().Replace(Ranges().Replace(Matchers().Replace(expression, ""), ""), "");
        return Identifier()
            .Matches(bare)
            .Select(m => m.Groups["name"].Value)
            .Where(n => n is not ("and" or "or" or "unless" or "bool" or "offset"))
            .ToList();
    }

    /// <summary>AgentMetrics' names, histograms with the series names Prometheus gives them.</summary>
    private static HashSet<string> Exported()
    {
        var metrics = new AgentMetrics(Prometheus.Metrics.NewCustomRegistry());
        return typeof(AgentMetrics)
            .GetProperties()
            .Where(p => typeof(Collector).IsAssignableFrom(p.PropertyType))
            .Select(p => (Collector)p.GetValue(metrics)!)
            .SelectMany(c =>
                c is Histogram
                    ? new[] { c.Name + "_bucket", c.Name + "_sum", c.Name + "_count" }
                    : [c.Name]
            )
            .ToHashSet();
    }

    /// <summary>The overlay mariadb with the ServiceMonitor and alerts components, as docs/user/alerts.md tells a user.</summary>
    private static async Task<
        IReadOnlyList<Dictionary<object, object>>
    > RenderOverlayWithComponentAsync()
    {
        var folder = Directory.CreateTempSubdirectory("alerts-overlay-").FullName;
        try
        {
            string Relative(params string[] parts) =>
                Path.GetRelativePath(folder, Repository.Of(["manifests", .. parts]));
            await File.WriteAllTextAsync(
                Path.Combine(folder, "kustomization.yaml"),
                $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - {Relative("overlays", "mariadb")}
                components:
                  - {Relative("components", "servicemonitor")}
                  - {Relative("components", "alerts")}
                """
            );
            var yaml = await Kustomize.RenderAsync(folder);
            return yaml.Split("\n---\n").Select(d => AlertFiles.Map(AlertFiles.Load(d))).ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The tree as JSON with every map's keys in order: equal trees, equal text.</summary>
    private static string Canonical(object node) => JsonSerializer.Serialize(Sorted(node));

    private static object? Sorted(object? node) =>
        node switch
        {
            Dictionary<object, object> map => new SortedDictionary<string, object?>(
                map.ToDictionary(e => (string)e.Key, e => Sorted(e.Value)),
                StringComparer.Ordinal
            ),
            List<object> list => list.Select(Sorted).ToList(),
            _ => node,
        };

    /// <summary>GitHub's anchors of the markdown headings: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> Anchors(string markdown) =>
        Heading()
            .Matches(markdown)
            .Select(m =>
                AnchorDropped()
                    .Replace(m.Groups["text"].Value.Trim().ToLowerInvariant(), "")
                    .Replace(' ', '-')
            )
            .ToHashSet();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^a-z0-9 _-]")]
    private static partial Regex AnchorDropped();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?![a-zA-Z0-9_:]|\s*\()")]
    private static partial Regex Identifier();
}
