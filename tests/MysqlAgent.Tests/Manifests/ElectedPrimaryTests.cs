using k8s.Models;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>
/// The base's elected primary, what every overlay applies unless told otherwise: what the agents
/// need to elect a primary through a Lease, route writes by the role label, and never boot a
/// writable server.
/// </summary>
public sealed class ElectedPrimaryTests(RenderedManifests manifests)
    : IClassFixture<RenderedManifests>
{
    private const string LeaseName = "mysql-primary";
    private const string RoleLabel = "mysql-agent.io/role";
    private const int PrimaryProxyPort = 3308;

    [Theory]
    [MemberData(
        nameof(RenderedManifests.ElectedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void Writes_go_through_every_pods_primary_proxy_and_peers_resolve_pods_that_are_not_ready(
        string kustomization
    )
    {
        var set = manifests.StatefulSet(kustomization);
        var primary = manifests.Named<V1Service>(kustomization, "mysql-primary");
        var headless = manifests.Named<V1Service>(kustomization, set.Spec.ServiceName);
        var pods = set.Spec.Template.Metadata.Labels;
        var agent = RenderedManifests.Container(set, "agent");

        Assert.DoesNotContain(RoleLabel, primary.Spec.Selector.Keys);
        Assert.All(primary.Spec.Selector, label => Assert.Equal(label.Value, pods[label.Key]));
        Assert.False(pods.ContainsKey(RoleLabel), "the agents write the role, not the template");
        var port = Assert.Single(primary.Spec.Ports);
        Assert.Equal(3306, port.Port);
        Assert.Equal("primary-proxy", port.TargetPort.Value);
        var proxyPort = Assert.Single(agent.Ports, p => p.Name == "primary-proxy");
        Assert.Equal(PrimaryProxyPort, proxyPort.ContainerPort);
        Assert.Contains($"--primary-proxy-port={PrimaryProxyPort}", agent.Args);
        Assert.NotEqual("None", primary.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses);
    }

    [Fact]
    public void The_direct_primary_service_component_sends_writes_to_the_pod_labelled_primary_on_3306()
    {
        const string Kustomization = RenderedManifests.MariaDbWithDirectPrimaryService;
        var set = manifests.StatefulSet(Kustomization);
        var primary = manifests.Named<V1Service>(Kustomization, "mysql-primary");
        var pods = set.Spec.Template.Metadata.Labels;

        Assert.Equal("primary", primary.Spec.Selector[RoleLabel]);
        Assert.All(
            primary.Spec.Selector.Where(l => l.Key != RoleLabel),
            label => Assert.Equal(label.Value, pods[label.Key])
        );
        var port = Assert.Single(primary.Spec.Ports);
        Assert.Equal(3306, port.Port);
        Assert.Equal("3306", port.TargetPort.Value);
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.ElectedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void The_pods_run_as_a_service_account_allowed_only_the_Lease_their_labels_and_events(
        string kustomization
    )
    {
        var set = manifests.StatefulSet(kustomization);
        var account = manifests.Named<V1ServiceAccount>(
            kustomization,
            set.Spec.Template.Spec.ServiceAccountName
        );
        // The re-clone's pods delete is a Role of its own (RecloneComponentTests).
        var binding = manifests.Named<V1RoleBinding>(kustomization, "mysql-agent");
        var role = manifests.Named<V1Role>(kustomization, "mysql-agent");
        Assert.Equal(
            ["mysql-agent", "mysql-agent-reclone"],
            manifests.Objects(kustomization).OfType<V1Role>().Select(r => r.Metadata.Name).Order()
        );

        Assert.Equal("Role", binding.RoleRef.Kind);
        Assert.Equal(role.Metadata.Name, binding.RoleRef.Name);
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name), (subject.Kind, subject.Name));
        Assert.NotEqual(false, set.Spec.Template.Spec.AutomountServiceAccountToken);

        // Every permission, flattened: nothing more, no wildcard.
        var granted = role
            .Rules.SelectMany(rule =>
                rule.ApiGroups.SelectMany(group =>
                    rule.Resources.SelectMany(resource =>
                        rule.Verbs.Select(verb =>
                            $"{group}/{resource} {verb}{(rule.ResourceNames is { Count: > 0 } names ? " " + string.Join(",", names) : "")}"
                        )
                    )
                )
            )
            .Order()
            .ToArray();
        Assert.Equal(
            [
                "/events create",
                "/pods get",
                "/pods patch",
                "coordination.k8s.io/leases create",
                $"coordination.k8s.io/leases get {LeaseName}",
                $"coordination.k8s.io/leases update {LeaseName}",
            ],
            granted
        );
        Assert.Equal(LeaseName, $"{set.Metadata.Name}-primary");
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.ElectedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void The_agent_uses_the_Kubernetes_Lease_store_in_its_own_namespace(string kustomization)
    {
        var agent = RenderedManifests.Container(manifests.StatefulSet(kustomization), "agent");
        var env = agent.Env.ToDictionary(e => e.Name);

        Assert.Equal("kubernetes", env["MYSQL_AGENT_LEASE_STORE"].Value);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].ValueFrom.FieldRef.FieldPath);
        Assert.DoesNotContain(
            agent.Args,
            a => a.StartsWith("--lease-store", StringComparison.Ordinal)
        );
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.ElectedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void A_stopping_primary_hands_over_first_with_both_containers_held_by_the_agents_prestop(
        string kustomization
    )
    {
        var set = manifests.StatefulSet(kustomization);
        var agent = RenderedManifests.Container(set, "agent");
        var http = agent.Ports.Single(p => p.Name == "http-metrics").ContainerPort;

        foreach (var name in new[] { "mysql", "agent" })
        {
            var hook = RenderedManifests.Container(set, name).Lifecycle.PreStop.HttpGet;
            Assert.Equal("/prestop", hook.Path);
            Assert.Equal(
                http.ToString(System.Globalization.CultureInfo.InvariantCulture),
                hook.Port.Value
            );
        }

        // A switchover waits at most lease + renew deadline + 3 retry periods (31 s by default).
        Assert.True(set.Spec.Template.Spec.TerminationGracePeriodSeconds > 31);
    }

    [Theory]
    [MemberData(
        nameof(RenderedManifests.ElectedPrimaryNames),
        MemberType = typeof(RenderedManifests)
    )]
    public void Every_mysqld_boots_read_only_and_acknowledging_as_a_replica_from_a_file_in_its_conf_d(
        string kustomization
    )
    {
        var set = manifests.StatefulSet(kustomization);
        var mysql = RenderedManifests.Container(set, "mysql");
        var confDir = mysql.VolumeMounts.Single(m => m.Name == "conf").MountPath;
        var mount = mysql.VolumeMounts.Single(m => m.Name == "failover-config");
        var volume = set.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        var map = manifests.Named<V1ConfigMap>(kustomization, volume.ConfigMap.Name);

        Assert.Equal(confDir, Path.GetDirectoryName(mount.MountPath));
        Assert.EndsWith(".cnf", mount.MountPath, StringComparison.Ordinal);
        Assert.True(mount.ReadOnlyProperty);
        var settings = map.Data[mount.SubPath]
            .Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && l[0] is not '#')
            .ToArray();
        Assert.Equal(
            [
                "[mysqld]",
                "read_only=ON",
                "loose-rpl_semi_sync_slave_enabled=ON",
                "loose-rpl_semi_sync_replica_enabled=ON",
            ],
            settings
        );
        // The first primary's file sets nothing that would undo it.
        Assert.DoesNotContain(
            "read_only",
            manifests.ConfigMap(kustomization).Data["primary.cnf"],
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void With_tls_mysqld_keeps_its_tls_options_and_the_read_only_file()
    {
        var set = manifests.StatefulSet(RenderedManifests.MariaDbWithTls);
        var mysql = RenderedManifests.Container(set, "mysql");
        var agent = RenderedManifests.Container(set, "agent");

        Assert.Contains("--ssl-cert=/etc/mysql/tls/tls.crt", mysql.Args);
        Assert.Contains(mysql.VolumeMounts, m => m.Name == "tls");
        Assert.Contains(mysql.VolumeMounts, m => m.Name == "failover-config");
        Assert.Contains(agent.Env, e => e.Name == "MYSQL_AGENT_TLS_CERT_FILE");
        Assert.Contains(agent.Env, e => e.Name == "MYSQL_AGENT_LEASE_STORE");
    }
}
