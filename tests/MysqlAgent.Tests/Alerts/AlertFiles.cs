using MysqlAgent.TestSupport;
using YamlDotNet.Serialization;

namespace MysqlAgent.Tests.Alerts;

/// <summary>The alerts component's files, and its rules as YAML trees (maps, lists, strings).</summary>
internal static class AlertFiles
{
    public static string Component => Repository.Of("manifests", "components", "alerts");

    public static string RuleFile => Path.Combine(Component, "mysql-agent.rules.yaml");

    public static string PrometheusRuleFile => Path.Combine(Component, "prometheusrule.yaml");

    public static string PromtoolTests =>
        Repository.Of("tests", "MysqlAgent.Tests", "Alerts", "promtool");

    public static string Runbook => Repository.Of("docs", "user", "alerts.md");

    public static object Load(string yaml) =>
        new DeserializerBuilder().Build().Deserialize<object>(yaml)!;

    /// <summary>The plain rule file's groups.</summary>
    public static object Groups() => Map(Load(File.ReadAllText(RuleFile)))["groups"];

    /// <summary>Every alerting rule of the plain rule file, as a map of its keys.</summary>
    public static IReadOnlyList<Dictionary<object, object>> Alerts() =>
        List(Groups())
            .SelectMany(g => List(Map(g)["rules"]))
            .Select(Map)
            .Where(r => r.ContainsKey("alert"))
            .ToList();

    public static Dictionary<object, object> Map(object node) =>
        node as Dictionary<object, object>
        ?? throw new InvalidOperationException($"expected a map, found {node}");

    public static List<object> List(object node) =>
        node as List<object>
        ?? throw new InvalidOperationException($"expected a list, found {node}");

    public static string Text(Dictionary<object, object> map, string key) =>
        map.TryGetValue(key, out var value) && value is string text ? text : "";
}
