using System.Runtime.Versioning;
using System.Text.Json;
using MysqlAgent.Tests.Alerts;
using MysqlLocal.Monitoring;

namespace MysqlAgent.Tests.Local;

/// <summary>The local set's prometheus.yml and targets (monitor), checked by promtool itself.</summary>
[SupportedOSPlatform("linux")]
public sealed class PrometheusConfigTests
{
    [Fact]
    public void Each_pod_is_a_target_on_its_http_port_labelled_with_its_name()
    {
        using var targets = JsonDocument.Parse(PrometheusConfig.RenderTargets(24000, 3));

        var groups = targets
            .RootElement.EnumerateArray()
            .Select(g =>
                (
                    Target: g.GetProperty("targets").EnumerateArray().Single().GetString(),
                    Pod: g.GetProperty("labels").GetProperty("pod").GetString()
                )
            )
            .ToList();

        Assert.Equal(
            [
                ("127.0.0.1:24008", "mysql-0"),
                ("127.0.0.1:24018", "mysql-1"),
                ("127.0.0.1:24028", "mysql-2"),
            ],
            groups
        );
    }

    [Fact]
    public async Task Promtool_accepts_the_configuration_with_the_shipped_rules_and_the_targets_file()
    {
        var folder = Directory.CreateTempSubdirectory("prometheus config ").FullName;
        try
        {
            var targets = Path.Combine(folder, "targets.json");
            await File.WriteAllTextAsync(targets, PrometheusConfig.RenderTargets(24000, 2));
            var config = Path.Combine(folder, "prometheus.yml");
            await File.WriteAllTextAsync(
                config,
                PrometheusConfig.Render(
                    AlertFiles.RuleFile,
                    targets,
                    TimeSpan.FromSeconds(1),
                    TimeSpan.FromSeconds(2)
                )
            );

            var (exit, output) = await Promtool.RunAsync(folder, "check", "config", config);

            Assert.True(exit == 0, $"promtool check config failed:\n{output}");
            // Every alert of the shipped file is loaded through the rendered configuration.
            var alerts = File.ReadAllLines(AlertFiles.RuleFile)
                .Count(l => l.TrimStart().StartsWith("- alert:", StringComparison.Ordinal));
            Assert.Contains($"SUCCESS: {alerts} rules found", output);
            Assert.Contains("scrape_interval: 1s", await File.ReadAllTextAsync(config));
            Assert.Contains("evaluation_interval: 2s", await File.ReadAllTextAsync(config));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
