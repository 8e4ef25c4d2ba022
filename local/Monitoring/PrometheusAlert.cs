namespace MysqlLocal.Monitoring;

/// <summary>One alert of Prometheus's /api/v1/alerts: pending (waiting out its 'for:') or firing.</summary>
public sealed record PrometheusAlert(
    string Name,
    string State,
    string Severity,
    string? Pod,
    string Summary
)
{
    public bool Firing => State == "firing";
}
