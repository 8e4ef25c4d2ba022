using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MysqlAgent.Tests.Manifests;

/// <summary>cert-manager's Issuer, as far as the TLS component uses it.</summary>
[KubernetesEntity(
    Group = "cert-manager.io",
    Kind = "Issuer",
    ApiVersion = "v1",
    PluralName = "issuers"
)]
public sealed class CertManagerIssuer : CustomResource<CertManagerIssuerSpec>;

public sealed class CertManagerIssuerSpec
{
    [JsonPropertyName("selfSigned")]
    public Dictionary<string, object>? SelfSigned { get; set; }

    [JsonPropertyName("ca")]
    public CertManagerCaIssuer? Ca { get; set; }
}

public sealed class CertManagerCaIssuer
{
    [JsonPropertyName("secretName")]
    public string SecretName { get; set; } = "";
}

/// <summary>cert-manager's Certificate, as far as the TLS component uses it.</summary>
[KubernetesEntity(
    Group = "cert-manager.io",
    Kind = "Certificate",
    ApiVersion = "v1",
    PluralName = "certificates"
)]
public sealed class CertManagerCertificate : CustomResource<CertManagerCertificateSpec>;

public sealed class CertManagerCertificateSpec
{
    [JsonPropertyName("isCA")]
    public bool IsCA { get; set; }

    [JsonPropertyName("commonName")]
    public string? CommonName { get; set; }

    [JsonPropertyName("secretName")]
    public string SecretName { get; set; } = "";

    [JsonPropertyName("duration")]
    public string? Duration { get; set; }

    [JsonPropertyName("renewBefore")]
    public string? RenewBefore { get; set; }

    [JsonPropertyName("dnsNames")]
    public List<string>? DnsNames { get; set; }

    [JsonPropertyName("usages")]
    public List<string>? Usages { get; set; }

    [JsonPropertyName("privateKey")]
    public Dictionary<string, object>? PrivateKey { get; set; }

    [JsonPropertyName("issuerRef")]
    public Dictionary<string, string> IssuerRef { get; set; } = new();
}
