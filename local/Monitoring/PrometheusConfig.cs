using System.Globalization;
using System.Text;
using MysqlLocal.State;

namespace MysqlLocal.Monitoring;

/// <summary>
/// The set's prometheus.yml and its scrape targets, rendered from the set's ports: one job
/// <c>mysql</c> (the Service's name, as the ServiceMonitor names it) over every pod's HTTP port,
/// each target labelled with its <c>pod</c>, as the shipped rules expect. The targets live in a file
/// that Prometheus watches, so a scaled set needs no restart.
/// </summary>
public static class PrometheusConfig
{
    public const string JobName = "mysql";

    public static string Render(
        string ruleFile,
        string targetsFile,
        TimeSpan scrapeInterval,
        TimeSpan evaluationInterval
    ) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"""
            # Written by 'mysql-local monitor'; rewritten each time it runs.
            global:
              scrape_interval: {Seconds(scrapeInterval)}
              scrape_timeout: {Seconds(
                scrapeInterval < TimeSpan.FromSeconds(10)
                    ? scrapeInterval
                    : TimeSpan.FromSeconds(10)
            )}
              evaluation_interval: {Seconds(evaluationInterval)}
            rule_files:
              - {Quoted(ruleFile)}
            scrape_configs:
              - job_name: {JobName}
                metrics_path: /metrics
                file_sd_configs:
                  - files:
                      - {Quoted(targetsFile)}

            """
        );

    /// <summary>file_sd's JSON: one group per pod, so each carries its own <c>pod</c> label.</summary>
    public static string RenderTargets(int basePort, int replicas)
    {
        var groups = Enumerable
            .Range(0, replicas)
            .Select(ordinal =>
                "  {\"targets\": [\"127.0.0.1:"
                + PodPorts.For(basePort, ordinal).Http.ToString(CultureInfo.InvariantCulture)
                + "\"], \"labels\": {\"pod\": \""
                + SetPaths.PodName(ordinal)
                + "\"}}"
            );
        return "[\n" + string.Join(",\n", groups) + "\n]\n";
    }

    private static string Seconds(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(value.TotalSeconds)}s");

    // YAML's double-quoted scalar: a path with spaces or a colon stays one value.
    private static string Quoted(string path)
    {
        var text = new StringBuilder("\"");
        foreach (var c in path)
        {
            text.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        }

        return text.Append('"').ToString();
    }
}
