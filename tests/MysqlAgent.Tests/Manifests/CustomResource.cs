using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MysqlAgent.Tests.Manifests;

/// <summary>
/// The envelope every custom resource the manifests render shares (a ServiceMonitor, cert-manager's
/// Issuer and Certificate); a subclass names its group and kind with <see cref="KubernetesEntityAttribute"/>.
/// </summary>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : new()
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();
}
