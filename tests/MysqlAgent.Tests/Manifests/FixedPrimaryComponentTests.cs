using k8s;
using k8s.Models;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>
/// The fixed-primary component (manifests/components/fixed-primary), the opt-out of the base's
/// elected primary: mysql-0 is always the primary, nothing calls the API server, and writers keep
/// using the Service mysql-primary.
/// </summary>
public sealed class FixedPrimaryComponentTests(RenderedManifests manifests)
    : IClassFixture<RenderedManifests>
{
    private const string RoleLabel = "mysql-agent.io/role";

    /// <summary>The label the StatefulSet controller puts on each of its pods: the pod's name.</summary>
    private const string PodNameLabel = "statefulset.kubernetes.io/pod-name";

    /// <summary>What the election adds to the base, and the component removes.</summary>
    private static readonly string[] ElectionObjects =
    [
        "ServiceAccount/mysql",
        "Role/mysql-agent",
        "RoleBinding/mysql-agent",
        "Role/mysql-agent-reclone",
        "RoleBinding/mysql-agent-reclone",
    ];

    [Theory]
    [MemberData(
        nameof(RenderedManifests.FixedAndElectedNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void It_removes_the_ServiceAccount_the_Roles_and_the_failover_ConfigMap_and_nothing_else(
        string fixedPrimary,
        string elected
    )
    {
        var failoverMap = manifests.Generated<V1ConfigMap>(elected, "mysql-failover").Metadata.Name;

        Assert.Equal(
            Names(elected)
                .Except([.. ElectionObjects, $"ConfigMap/{failoverMap}"])
                .Order(StringComparer.Ordinal),
            Names(fixedPrimary).Order(StringComparer.Ordinal)
        );
        Assert.Empty(manifests.Objects(fixedPrimary).OfType<V1ServiceAccount>());
        Assert.Empty(manifests.Objects(fixedPrimary).OfType<V1Role>());
        Assert.Empty(manifests.Objects(fixedPrimary).OfType<V1RoleBinding>());
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.FixedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void The_pods_run_as_the_default_service_account_without_preStop_hooks(
        string kustomization
    )
    {
        var spec = manifests.StatefulSet(kustomization).Spec.Template.Spec;

        Assert.Null(spec.ServiceAccountName);
        Assert.All(
            RenderedManifests.AllContainers(manifests.StatefulSet(kustomization)),
            c => Assert.Null(c.Lifecycle?.PreStop)
        );
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.FixedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void The_agent_has_no_Lease_store_so_ordinal_0_is_the_primary(string kustomization)
    {
        var set = manifests.StatefulSet(kustomization);
        var agent = RenderedManifests.Container(set, "agent");

        Assert.DoesNotContain(
            agent.Env ?? [],
            e => e.Name is "MYSQL_AGENT_LEASE_STORE" or "POD_NAMESPACE"
        );
        // As the agent itself reads its command line and environment.
        using var invocation = new AgentInvocation(set, agent, "mysql-1");
        var values = OptionValues.Parse(invocation.Options, invocation.GetEnvironmentVariable);
        Assert.True(LeaseStoreChoice.TryParse(values.Get("lease-store"), out var store));
        Assert.Equal(LeaseStoreKind.None, store.Kind);
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.FixedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void Mysqld_gets_no_failover_cnf_so_mysql_0_boots_writable(string kustomization)
    {
        var set = manifests.StatefulSet(kustomization);
        var mysql = RenderedManifests.Container(set, "mysql");
        var confDir = mysql.VolumeMounts.Single(m => m.Name == "conf").MountPath;

        Assert.DoesNotContain(
            mysql.VolumeMounts,
            m => m.MountPath.StartsWith(confDir + "/", StringComparison.Ordinal)
        );
        Assert.DoesNotContain(
            set.Spec.Template.Spec.Volumes,
            v =>
                v.ConfigMap is { } map
                && map.Name != manifests.ConfigMap(kustomization).Metadata.Name
        );
        Assert.DoesNotContain(
            "read_only",
            manifests.ConfigMap(kustomization).Data["primary.cnf"],
            StringComparison.Ordinal
        );
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.FixedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void Writes_still_go_through_mysql_primary_which_selects_the_pod_mysql_0(
        string kustomization
    )
    {
        var set = manifests.StatefulSet(kustomization);
        var primary = manifests.Named<V1Service>(kustomization, "mysql-primary");
        var pods = set.Spec.Template.Metadata.Labels;

        Assert.Equal($"{set.Metadata.Name}-0", primary.Spec.Selector[PodNameLabel]);
        Assert.DoesNotContain(RoleLabel, primary.Spec.Selector.Keys);
        Assert.All(
            primary.Spec.Selector.Where(l => l.Key != PodNameLabel),
            label => Assert.Equal(label.Value, pods[label.Key])
        );
        Assert.False(pods.ContainsKey(PodNameLabel), "the controller sets it, per pod");
        var port = Assert.Single(primary.Spec.Ports);
        Assert.Equal(3306, port.Port);
        Assert.Equal("3306", port.TargetPort.Value);
        Assert.NotEqual("None", primary.Spec.ClusterIP);
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.FixedAndElectedNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void Otherwise_the_set_is_the_elected_one_same_images_ports_probes_and_mounts(
        string fixedPrimary,
        string elected
    )
    {
        // The elected StatefulSet less what the component removes must be the fixed one, field
        // for field.
        var expected = Copy(manifests.StatefulSet(elected));
        var spec = expected.Spec.Template.Spec;
        spec.ServiceAccountName = null;
        spec.Volumes = [.. spec.Volumes.Where(v => v.Name != "failover-config")];
        foreach (var container in spec.Containers)
        {
            container.Lifecycle = null;
            container.VolumeMounts =
            [
                .. container.VolumeMounts.Where(m => m.Name != "failover-config"),
            ];
            container.Env = container
                .Env?.Where(e => e.Name is not ("MYSQL_AGENT_LEASE_STORE" or "POD_NAMESPACE"))
                .ToList();
        }

        var actual = manifests.StatefulSet(fixedPrimary);
        // The images and ports first, for a readable failure; then everything.
        Assert.Equal(
            RenderedManifests.AllContainers(expected).Select(c => $"{c.Name} {c.Image}"),
            RenderedManifests.AllContainers(actual).Select(c => $"{c.Name} {c.Image}")
        );
        Assert.Equal(
            RenderedManifests
                .AllContainers(expected)
                .SelectMany(c => c.Ports ?? [])
                .Select(p => p.ContainerPort),
            RenderedManifests
                .AllContainers(actual)
                .SelectMany(c => c.Ports ?? [])
                .Select(p => p.ContainerPort)
        );
        Assert.Equal(KubernetesJson.Serialize(expected), KubernetesJson.Serialize(actual));
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.FixedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void Nothing_of_the_election_is_left_in_the_rendered_yaml(string kustomization)
    {
        var yaml = manifests.Yaml(kustomization);

        foreach (var word in new[] { "lease", "failover", "prestop", RoleLabel, "serviceAccount" })
        {
            Assert.DoesNotContain(word, yaml, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_walkthrough_sends_writes_to_mysql_primary_and_shows_the_opt_out()
    {
        var walkthrough = File.ReadAllText(Repository.Of("docs", "user", "kubernetes.md"));

        Assert.Contains("Writes: `mysql-primary:3306`", walkthrough, StringComparison.Ordinal);
        Assert.Contains("../../components/fixed-primary", walkthrough, StringComparison.Ordinal);
        // The component it replaces is gone; the walkthrough must not send anyone to it.
        Assert.DoesNotContain("components/failover", walkthrough, StringComparison.Ordinal);
    }

    private IEnumerable<string> Names(string kustomization) =>
        manifests
            .Objects(kustomization)
            .Cast<IKubernetesObject<V1ObjectMeta>>()
            .Select(o => $"{o.Kind}/{o.Metadata.Name}");

    private static V1StatefulSet Copy(V1StatefulSet set) =>
        KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(set));
}
