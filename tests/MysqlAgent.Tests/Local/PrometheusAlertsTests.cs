using System.Runtime.Versioning;
using MysqlLocal.Monitoring;

namespace MysqlAgent.Tests.Local;

/// <summary>What 'status' shows of Prometheus's /api/v1/alerts answer.</summary>
[SupportedOSPlatform("linux")]
public sealed class PrometheusAlertsTests
{
    // As Prometheus 2.42 answers (trimmed).
    private const string Answer = """
        {"status":"success","data":{"alerts":[
          {"labels":{"alertname":"MysqlReplicationStopped","pod":"mysql-1","severity":"warning"},
           "annotations":{"summary":"Replication on mysql-1 is not running"},"state":"pending","value":"0e+00"},
          {"labels":{"alertname":"MysqlReplicationError","pod":"mysql-1","severity":"warning"},
           "annotations":{"summary":"Replication on mysql-1 fails with error 1045"},"state":"firing","value":"1.045e+03"},
          {"labels":{"alertname":"MysqlNoPrimary","severity":"critical"},"annotations":{},"state":"firing","value":"3e+00"}
        ]}}
        """;

    [Fact]
    public void Firing_alerts_come_first_by_name_then_the_pending_ones()
    {
        var alerts = PrometheusAlerts.Parse(Answer);

        Assert.Equal(
            [
                new PrometheusAlert("MysqlNoPrimary", "firing", "critical", null, ""),
                new PrometheusAlert(
                    "MysqlReplicationError",
                    "firing",
                    "warning",
                    "mysql-1",
                    "Replication on mysql-1 fails with error 1045"
                ),
                new PrometheusAlert(
                    "MysqlReplicationStopped",
                    "pending",
                    "warning",
                    "mysql-1",
                    "Replication on mysql-1 is not running"
                ),
            ],
            alerts
        );
        Assert.Equal(2, alerts.Count(a => a.Firing));
    }
}
