using System.Diagnostics;
using System.Globalization;
using MysqlAgent.EndToEndTests.Harness;
using MysqlAgent.TestSupport;

namespace MysqlAgent.EndToEndTests.Monitoring;

/// <summary>
/// The shipped rules and dashboard in a real Prometheus (<c>up --monitor</c>, Debian's
/// prometheus) scraping the real agents of a local set with failover. The rule file is the shipped
/// one; only the scrape and evaluation intervals are short (1 s), so the test waits out the
/// alert's real 'for: 1m'.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class AlertingTests(ITestOutputHelper output)
{
    private const string Alert = "MysqlReplicationError";

    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task A_replica_refused_by_its_source_fires_the_replication_alert_and_every_dashboard_query_has_series()
    {
        var (set, up) = await LocalSets.UpAsync(
            output,
            extraArguments: ["--failover", "--monitor", "--scrape-interval-seconds", "1"]
        );
        await using var _ = set;
        using var prometheus = new PrometheusApi(set.BasePort + 4);
        Assert.Contains($"prometheus: http://127.0.0.1:{prometheus.Port}", up.StandardOutput);

        // A planned switchover first: the dashboard's switchover and fence panels need one, and the
        // set must come out of it with nothing firing.
        await set.MustRunAsync("switchover", "--to", "mysql-1");
        await set.WaitForLeaseAsync("mysql-1 holds the Lease", l => l.Holder == "mysql-1");
        Assert.DoesNotContain(await prometheus.AlertsAsync(), a => a.State == "firing");

        // mysql-2 must follow the new primary first: its agent re-points it after the switchover
        // (with the right password), which would repair a password broken before that.
        var newSource = LocalSet.MysqlPort(set.BasePort, 1).ToString(CultureInfo.InvariantCulture);
        await set.WaitUntilAsync(
            "mysql-2 replicates from mysql-1",
            async () =>
            {
                await using var replica = await set.ConnectAsync(2);
                var status = await Sql.SlaveStatusAsync(replica);
                return status.GetValueOrDefault("Master_Port") == newSource
                    && status.GetValueOrDefault("Slave_IO_Running") == "Yes";
            }
        );

        // mysql-2 keeps its source but logs in with a wrong password: the IO thread retries and
        // fails with 1045, which the agent does not repair (it only re-points a wrong source).
        await using (var replica = await set.ConnectAsync(2))
        {
            await Sql.ExecuteAsync(
                replica,
                "STOP SLAVE; CHANGE MASTER TO MASTER_PASSWORD='not-the-password'; START SLAVE"
            );
        }

        var broken = Stopwatch.StartNew();
        var firing = await Eventually.ValueAsync(
            async () =>
                (await prometheus.AlertsAsync()).SingleOrDefault(a =>
                    a.Name == Alert && a.Pod == "mysql-2"
                ),
            a => a is { State: "firing" },
            $"{Alert} fires for mysql-2",
            LocalSet.Patience
        );
        output.WriteLine(
            $"{Alert} firing {broken.Elapsed.TotalSeconds:0} s after the break: {firing!.Description}"
        );
        Assert.Contains("error 1045", firing.Description);
        var status = await set.MustRunAsync("status");
        Assert.Contains($"firing  {Alert} warning mysql-2", status.StandardOutput);

        var password = File.ReadAllText(
                Path.Combine(set.StateDir, "secrets", "replication-password")
            )
            .Trim();
        await using (var replica = await set.ConnectAsync(2))
        {
            await Sql.ExecuteAsync(
                replica,
                $"STOP SLAVE; CHANGE MASTER TO MASTER_PASSWORD='{password.Replace("'", "''", StringComparison.Ordinal)}'; START SLAVE"
            );
        }

        var fixedAt = Stopwatch.StartNew();
        await Eventually.UntilAsync(
            async () => !(await prometheus.AlertsAsync()).Any(a => a.Name == Alert),
            $"{Alert} clears once mysql-2 logs in again",
            LocalSet.Patience
        );
        output.WriteLine($"{Alert} cleared {fixedAt.Elapsed.TotalSeconds:0} s after the fix");

        // Each dashboard query over this set: rates need two scrapes, so each may take a moment.
        foreach (var (panel, expression) in DashboardQueries.Read())
        {
            await Eventually.UntilAsync(
                async () => await prometheus.SeriesAsync(expression) > 0,
                $"the dashboard's '{panel}' query returns a series: {expression}",
                TimeSpan.FromSeconds(60)
            );
        }

        await set.MustRunAsync("down", "--keep-data");
        Assert.False(await prometheus.AnswersAsync(), "down stops the set's prometheus");
    }

    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task A_frozen_primary_with_failover_paused_pages_as_no_primary_until_failover_resumes()
    {
        var (set, _) = await LocalSets.UpAsync(
            output,
            extraArguments: ["--failover", "--monitor", "--scrape-interval-seconds", "1"]
        );
        await using var _ = set;
        using var prometheus = new PrometheusApi(set.BasePort + 4);

        // Paused, nobody takes the frozen primary's Lease: writes stay down past a failover's time.
        await set.MustRunAsync("pause");
        await set.MustRunAsync("freeze", "mysql-0");
        var frozen = Stopwatch.StartNew();
        var alerts = await Eventually.ValueAsync(
            prometheus.AlertsAsync,
            active => active.Any(a => a is { Name: "MysqlNoPrimary", State: "firing" }),
            "MysqlNoPrimary fires",
            LocalSet.Patience
        );
        output.WriteLine(
            $"MysqlNoPrimary firing {frozen.Elapsed.TotalSeconds:0} s after the freeze: {string.Join("; ", alerts.Select(a => $"{a.State} {a.Name} {a.Pod}"))}"
        );
        // The frozen agent answers no scrape: its own alert is on its way (for: 2m).
        Assert.Contains(alerts, a => a is { Name: "MysqlAgentDown", Pod: "mysql-0" });

        await set.MustRunAsync("thaw", "mysql-0");
        await set.MustRunAsync("resume");
        var resumed = Stopwatch.StartNew();
        await Eventually.UntilAsync(
            async () =>
                !(await prometheus.AlertsAsync()).Any(a =>
                    a.Name is "MysqlNoPrimary" or "MysqlAgentDown"
                ),
            "MysqlNoPrimary and MysqlAgentDown clear once mysql-0 thaws and failover resumes",
            LocalSet.Patience
        );
        output.WriteLine(
            $"cleared {resumed.Elapsed.TotalSeconds:0} s after thaw and resume; the Lease: {set.LeaseFromFile()}"
        );
    }
}
