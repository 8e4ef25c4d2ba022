namespace MysqlAgent.Tests.Alerts;

/// <summary>
/// The shipped rule file, as Prometheus itself reads it: promtool checks its syntax and runs the
/// unit tests in Alerts/promtool (a healthy set through a switchover stays quiet; each alert's
/// fault fires it, not before its 'for:').
/// </summary>
public sealed class PromtoolRuleTests
{
    [Fact]
    public async Task Prometheus_accepts_the_rule_file()
    {
        var (exit, output) = await Promtool.RunAsync(
            AlertFiles.Component,
            "check",
            "rules",
            AlertFiles.RuleFile
        );

        Assert.True(exit == 0, $"promtool check rules failed:\n{output}");
        Assert.Contains($"SUCCESS: {AlertFiles.Alerts().Count} rules found", output);
    }

    [Theory]
    [InlineData("healthy.test.yaml")]
    [InlineData("firing.test.yaml")]
    public async Task The_promtool_rule_tests_pass(string file)
    {
        var (exit, output) = await Promtool.RunAsync(
            AlertFiles.PromtoolTests,
            "test",
            "rules",
            file
        );

        Assert.True(exit == 0, $"promtool test rules {file} failed:\n{output}");
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public void Every_alert_has_a_case_that_fires_it_and_is_checked_quiet_on_the_healthy_set()
    {
        var alerts = AlertFiles.Alerts().Select(a => AlertFiles.Text(a, "alert")).ToHashSet();
        var fired = Checks("firing.test.yaml")
            .Where(c => c.TryGetValue("exp_alerts", out var e) && AlertFiles.List(e).Count > 0)
            .Select(c => AlertFiles.Text(c, "alertname"))
            .ToHashSet();
        var quiet = Checks("healthy.test.yaml")
            .Where(c => AlertFiles.List(c["exp_alerts"]).Count == 0)
            .Select(c => AlertFiles.Text(c, "alertname"))
            .ToHashSet();

        Assert.Empty(alerts.Except(fired));
        Assert.Empty(alerts.Except(quiet));
        Assert.Empty(fired.Union(quiet).Except(alerts));
    }

    private static IEnumerable<Dictionary<object, object>> Checks(string file) =>
        AlertFiles
            .List(
                AlertFiles.Map(
                    AlertFiles.Load(File.ReadAllText(Path.Combine(AlertFiles.PromtoolTests, file)))
                )["tests"]
            )
            .SelectMany(t => AlertFiles.List(AlertFiles.Map(t)["alert_rule_test"]))
            .Select(AlertFiles.Map);
}
