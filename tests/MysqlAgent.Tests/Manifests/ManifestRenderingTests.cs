using k8s;
using k8s.Models;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>What kustomize renders: the objects, the images, the flavours' configs, the policies.</summary>
public sealed class ManifestRenderingTests(RenderedManifests manifests)
    : IClassFixture<RenderedManifests>
{
    public static readonly TheoryData<string, string, string> OverlayImages = new()
    {
        { RenderedManifests.Mysql84, "mysql", "mysql:8.4" },
        { RenderedManifests.Mysql84, "agent", $"mysql-agent:{ReleaseTag}-xtrabackup" },
        { RenderedManifests.Mysql84, "clone", $"mysql-agent:{ReleaseTag}-xtrabackup" },
        { RenderedManifests.Mysql84, "init", $"mysql-init:{ReleaseTag}" },
        { RenderedManifests.MariaDb, "mysql", "mariadb:11.4" },
        { RenderedManifests.MariaDb, "agent", $"mysql-agent:{ReleaseTag}-mariabackup" },
        { RenderedManifests.MariaDb, "clone", $"mysql-agent:{ReleaseTag}-mariabackup" },
        { RenderedManifests.MariaDb, "init", $"mysql-init:{ReleaseTag}" },
    };

    /// <summary>The overlays pin the images of this release (Directory.Build.props' Version).</summary>
    private const string ReleaseTag = "0.1.0";

    [Theory]
    [MemberData(nameof(RenderedManifests.AllNames), MemberType = typeof(RenderedManifests))]
    public void Every_kustomization_renders_and_each_document_loads_as_its_typed_object(
        string kustomization
    )
    {
        var documents = manifests
            .Yaml(kustomization)
            .Split("\n---\n")
            .Count(d => !string.IsNullOrWhiteSpace(d));
        var objects = manifests.Objects(kustomization);

        Assert.NotEmpty(objects);
        Assert.Equal(documents, objects.Count);
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o));
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void An_overlay_holds_every_object_of_the_set_and_never_a_secret(string overlay)
    {
        var kinds = manifests
            .Objects(overlay)
            .Cast<IKubernetesObject<V1ObjectMeta>>()
            .Select(o => $"{o.Kind}/{o.Metadata.Name}")
            .Order(StringComparer.Ordinal)
            .ToArray();

        // The generated ConfigMaps' hashes decide where they sort.
        string[] expected =
        [
            $"ConfigMap/{manifests.ConfigMap(overlay).Metadata.Name}",
            $"ConfigMap/{manifests.Generated<V1ConfigMap>(overlay, "mysql-failover").Metadata.Name}",
            "NetworkPolicy/mysql",
            "PodDisruptionBudget/mysql",
            "Role/mysql-agent",
            "Role/mysql-agent-reclone",
            "RoleBinding/mysql-agent",
            "RoleBinding/mysql-agent-reclone",
            "Service/mysql",
            "Service/mysql-primary",
            "Service/mysql-read",
            "ServiceAccount/mysql",
            "StatefulSet/mysql",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), kinds);
        Assert.StartsWith("mysql-", manifests.ConfigMap(overlay).Metadata.Name);
        Assert.Contains(SecretKeys.SecretName, SecretKeys.Walkthrough);
    }

    [Fact]
    public void No_kustomization_renders_a_secret()
    {
        foreach (var name in RenderedManifests.Names)
        {
            Assert.Empty(manifests.Objects(name).OfType<V1Secret>());
        }
    }

    [Theory]
    [MemberData(nameof(OverlayImages))]
    public void The_overlays_pin_the_images_of_their_flavour_and_of_this_release(
        string overlay,
        string container,
        string image
    )
    {
        Assert.Equal(
            image,
            RenderedManifests.Container(manifests.StatefulSet(overlay), container).Image
        );
        var version = System
            .Xml.Linq.XDocument.Load(Repository.Of("Directory.Build.props"))
            .Descendants("Version")
            .Single()
            .Value;
        Assert.Equal(ReleaseTag, version);
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void The_set_starts_its_three_pods_in_order_behind_the_headless_service(string overlay)
    {
        var set = manifests.StatefulSet(overlay);
        var headless = manifests.Named<V1Service>(overlay, set.Spec.ServiceName);
        var reads = manifests.Named<V1Service>(overlay, "mysql-read");
        var pods = set.Spec.Template.Metadata.Labels;

        Assert.Equal(3, set.Spec.Replicas);
        Assert.Equal("OrderedReady", set.Spec.PodManagementPolicy);
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses);
        Assert.NotEqual("None", reads.Spec.ClusterIP);
        Assert.NotEqual(true, reads.Spec.PublishNotReadyAddresses);
        Assert.All(
            new[] { headless.Spec.Selector, reads.Spec.Selector, set.Spec.Selector.MatchLabels },
            selector => Assert.All(selector, label => Assert.Equal(label.Value, pods[label.Key]))
        );
        Assert.Equal("data", set.Spec.VolumeClaimTemplates.Single().Metadata.Name);
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void A_disruption_takes_at_most_one_pod_of_the_set(string overlay)
    {
        var budget = manifests.Objects(overlay).OfType<V1PodDisruptionBudget>().Single();

        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Equal("mysql", budget.Spec.Selector.MatchLabels["app"]);
    }

    [Fact]
    public void The_mysql84_config_logs_binlogs_with_GTIDs_and_makes_replicas_super_read_only()
    {
        var files = Cnf(RenderedManifests.Mysql84);

        foreach (var role in new[] { "primary.cnf", "replica.cnf" })
        {
            Assert.Equal("mysql-bin", files[role]["log_bin"]);
            Assert.Equal("ON", files[role]["gtid_mode"]);
            Assert.Equal("ON", files[role]["enforce_gtid_consistency"]);
            Assert.True(files[role].ContainsKey("skip_name_resolve"));
            // Loaded for the elected primary's semi-sync (failover.cnf); loading turns nothing on.
            Assert.Equal("semisync_source.so;semisync_replica.so", files[role]["plugin_load_add"]);
        }

        Assert.Equal("ON", files["replica.cnf"]["super_read_only"]);
        Assert.False(files["primary.cnf"].ContainsKey("super_read_only"));
        Assert.False(files["primary.cnf"].ContainsKey("read_only"));
    }

    [Fact]
    public void The_mariadb_config_uses_strict_GTIDs_and_read_only_because_mariadbd_rejects_super_read_only()
    {
        var files = Cnf(RenderedManifests.MariaDb);

        foreach (var role in new[] { "primary.cnf", "replica.cnf" })
        {
            Assert.Equal("mysql-bin", files[role]["log_bin"]);
            Assert.Equal("ON", files[role]["gtid_strict_mode"]);
            Assert.Equal("ON", files[role]["log_slave_updates"]);
            Assert.True(files[role].ContainsKey("skip_name_resolve"));
            Assert.False(files[role].ContainsKey("super_read_only"));
            Assert.False(files[role].ContainsKey("gtid_mode"));
        }

        Assert.Equal("ON", files["replica.cnf"]["read_only"]);
        Assert.False(files["primary.cnf"].ContainsKey("read_only"));
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.AllNames), MemberType = typeof(RenderedManifests))]
    public void No_config_map_sets_what_mysql_init_writes_per_pod(string kustomization)
    {
        foreach (var map in manifests.Objects(kustomization).OfType<V1ConfigMap>())
        {
            foreach (var (file, text) in map.Data)
            {
                var settings = ParseCnf(text);
                Assert.False(settings.ContainsKey("server_id"), $"{file} sets server-id");
                Assert.False(settings.ContainsKey("report_host"), $"{file} sets report_host");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Backups_reach_only_peers_metrics_reach_peers_and_monitoring_and_clients_reach_mysql(
        string overlay
    )
    {
        var policy = manifests.Objects(overlay).OfType<V1NetworkPolicy>().Single();
        var options = AgentOptionsReader.Read(
            OptionValues.Parse([], name => name == "HOSTNAME" ? "mysql-1" : null)
        );
        var sources = policy
            .Spec.Ingress.SelectMany(rule => rule.Ports.Select(port => (port, rule.FromProperty)))
            .ToDictionary(r => int.Parse(r.port.Port.Value), r => r.FromProperty);

        Assert.Equal("mysql", policy.Spec.PodSelector.MatchLabels["app"]);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        const int PrimaryProxyPort = 3308;
        Assert.Equal(
            [options.LocalMysql.Port, options.BackupPort, PrimaryProxyPort, options.HttpPort],
            sources.Keys.Order()
        );

        foreach (var clientPort in new[] { options.LocalMysql.Port, PrimaryProxyPort })
        {
            var clients = Assert.Single(sources[clientPort]);
            Assert.Empty(clients.PodSelector.MatchLabels ?? new Dictionary<string, string>());
            Assert.Null(clients.NamespaceSelector);
        }

        var peers = Assert.Single(sources[options.BackupPort]);
        Assert.Equal("mysql", peers.PodSelector.MatchLabels["app"]);
        Assert.Null(peers.NamespaceSelector);

        var scrapers = sources[options.HttpPort];
        Assert.Equal(2, scrapers.Count);
        Assert.Contains(
            scrapers,
            p => p.PodSelector?.MatchLabels["app"] == "mysql" && p.NamespaceSelector is null
        );
        var monitoring = Assert.Single(scrapers, p => p.NamespaceSelector is not null);
        Assert.Null(monitoring.PodSelector);
        Assert.Equal(
            "monitoring",
            monitoring.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]
        );
        Assert.Contains("kubernetes.io/metadata.name: monitoring", SecretKeys.Walkthrough);
    }

    [Fact]
    public void The_service_monitor_scrapes_the_agents_metrics_port_through_the_headless_service()
    {
        var name = RenderedManifests.Mysql84WithServiceMonitor;
        var monitor = manifests.Objects(name).OfType<ServiceMonitor>().Single();
        var set = manifests.StatefulSet(name);
        var headless = manifests.Named<V1Service>(name, set.Spec.ServiceName);
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        var servicePort = headless.Spec.Ports.Single(p => p.Name == endpoint.Port);
        var agentPort = RenderedManifests
            .Container(set, "agent")
            .Ports.Single(p => p.Name == endpoint.Port);

        Assert.IsType<ServiceMonitor>(
            Assert.Single(manifests.Objects(RenderedManifests.ServiceMonitorComponent))
        );
        Assert.All(
            monitor.Spec.Selector.MatchLabels,
            label => Assert.Equal(label.Value, headless.Metadata.Labels[label.Key])
        );
        Assert.Equal(agentPort.ContainerPort, servicePort.Port);
        Assert.Equal("/metrics", endpoint.Path);
        Assert.Equal(
            set.Spec.Template.Metadata.Annotations["prometheus.io/port"],
            agentPort.ContainerPort.ToString()
        );
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Every_container_runs_as_the_mysql_user_without_privileges(string overlay)
    {
        var set = manifests.StatefulSet(overlay);
        var pod = set.Spec.Template.Spec.SecurityContext;

        Assert.True(pod.RunAsNonRoot);
        Assert.Equal(999, pod.RunAsUser);
        Assert.Equal(999, pod.RunAsGroup);
        Assert.Equal(999, pod.FsGroup);
        Assert.False(set.Spec.Template.Spec.EnableServiceLinks);
        Assert.All(
            RenderedManifests.AllContainers(set),
            c =>
            {
                Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
                Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
                Assert.Null(c.SecurityContext.RunAsUser);
            }
        );
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Our_programs_run_on_a_read_only_root_with_a_writable_tmp(string overlay)
    {
        var set = manifests.StatefulSet(overlay);
        var volumes = set.Spec.Template.Spec.Volumes.ToDictionary(v => v.Name);

        foreach (var name in new[] { "init", "clone", "agent" })
        {
            var container = RenderedManifests.Container(set, name);
            var tmp = container.VolumeMounts.Single(m => m.MountPath == "/tmp");
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, name);
            Assert.NotNull(volumes[tmp.Name].EmptyDir);
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Every_container_requests_and_limits_cpu_and_memory(string overlay)
    {
        Assert.All(
            RenderedManifests.AllContainers(manifests.StatefulSet(overlay)),
            c =>
            {
                Assert.Equal(["cpu", "memory"], c.Resources.Requests.Keys.Order());
                Assert.Equal(["cpu", "memory"], c.Resources.Limits.Keys.Order());
            }
        );
    }

    private Dictionary<string, Dictionary<string, string>> Cnf(string overlay) =>
        manifests.ConfigMap(overlay).Data.ToDictionary(f => f.Key, f => ParseCnf(f.Value));

    /// <summary>A my.cnf's [mysqld] settings, names normalised as the server does (- and _ alike).</summary>
    private static Dictionary<string, string> ParseCnf(string text)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '[')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? line : line[..equals]).Trim().Replace('-', '_');
            settings[name] = equals < 0 ? "" : line[(equals + 1)..].Trim();
        }

        return settings;
    }
}
