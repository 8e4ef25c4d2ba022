using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MysqlAgent.Tests.Manifests;

/// <summary>The Prometheus Operator's ServiceMonitor, as far as our component uses it.</summary>
[KubernetesEntity(
    Group = "monitoring.coreos.com",
    Kind = "ServiceMonitor",
    ApiVersion = "v1",
    PluralName = "servicemonitors"
)]
public sealed class ServiceMonitor : CustomResource<ServiceMonitorSpec>;

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("endpoints")]
    public IList<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")]
    public string? Port { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("interval")]
    public string? Interval { get; set; }
}
