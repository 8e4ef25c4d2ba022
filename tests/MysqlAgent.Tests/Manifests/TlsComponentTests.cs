using MysqlAgent.Configuration;

namespace MysqlAgent.Tests.Manifests;

/// <summary>The optional TLS component: cert-manager objects, and the files every container needs, at one path.</summary>
public sealed class TlsComponentTests(RenderedManifests manifests)
    : IClassFixture<RenderedManifests>
{
    private const string Mount = "/etc/mysql/tls";

    public static readonly TheoryData<string> WithTls = new(
        RenderedManifests.MariaDbWithTls,
        RenderedManifests.Mysql84WithTls
    );

    [Theory]
    [MemberData(nameof(WithTls))]
    public void The_pods_certificate_is_signed_by_the_sets_CA_and_names_every_pods_stable_name(
        string kustomization
    )
    {
        var objects = manifests.Objects(kustomization);
        var certificates = objects.OfType<CertManagerCertificate>().ToList();
        var pods = certificates.Single(c => !c.Spec.IsCA);
        var ca = certificates.Single(c => c.Spec.IsCA);
        var caIssuer = objects.OfType<CertManagerIssuer>().Single(i => i.Spec.Ca is not null);

        Assert.Equal("mysql-tls", pods.Spec.SecretName);
        Assert.Equal(caIssuer.Metadata.Name, pods.Spec.IssuerRef["name"]);
        Assert.Equal(ca.Spec.SecretName, caIssuer.Spec.Ca!.SecretName);
        Assert.Contains("mysql-0.mysql", pods.Spec.DnsNames!);
        Assert.Contains("*.mysql", pods.Spec.DnsNames!);
        // The same certificate serves 3307 and mysqld, and stands in for the token as a client.
        Assert.Contains("server auth", pods.Spec.Usages!);
        Assert.Contains("client auth", pods.Spec.Usages!);
    }

    [Theory]
    [MemberData(nameof(WithTls))]
    public void Clone_agent_and_mysqld_read_the_Secrets_files_at_the_same_path(string kustomization)
    {
        var set = manifests.StatefulSet(kustomization);
        var volume = set.Spec.Template.Spec.Volumes.Single(v => v.Name == "tls");
        Assert.Equal("mysql-tls", volume.Secret.SecretName);

        foreach (var name in new[] { "clone", "mysql", "agent" })
        {
            var container = RenderedManifests.Container(set, name);
            var mount = Assert.Single(container.VolumeMounts, m => m.Name == "tls");
            Assert.Equal(Mount, mount.MountPath);
            Assert.True(mount.ReadOnlyProperty, $"{name} mounts the TLS Secret writable");
        }

        foreach (var name in new[] { "clone", "agent" })
        {
            var env = RenderedManifests
                .Container(set, name)
                .Env.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
            Assert.Equal($"{Mount}/tls.crt", env[Spec("tls-cert-file").EnvironmentName]);
            Assert.Equal($"{Mount}/tls.key", env[Spec("tls-key-file").EnvironmentName]);
            // A replica's mysqld reads the CA at the path the agent gives CHANGE MASTER.
            Assert.Equal($"{Mount}/ca.crt", env[Spec("tls-ca-file").EnvironmentName]);
        }

        Assert.Equal(
            [
                $"--ssl-cert={Mount}/tls.crt",
                $"--ssl-key={Mount}/tls.key",
                $"--ssl-ca={Mount}/ca.crt",
            ],
            RenderedManifests.Container(set, "mysql").Args
        );
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Without_the_component_the_set_needs_no_cert_manager(string overlay)
    {
        Assert.DoesNotContain(
            manifests.Objects(overlay),
            o => o is CertManagerCertificate or CertManagerIssuer
        );
        Assert.DoesNotContain(
            "tls",
            manifests.StatefulSet(overlay).Spec.Template.Spec.Volumes.Select(v => v.Name)
        );
    }

    private static OptionSpec Spec(string name) =>
        OptionCatalog.Find(name) ?? throw new InvalidOperationException($"no option --{name}");
}
