using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.Election;
using MysqlAgent.Hosting;

namespace MysqlAgent.Tests.Manifests;

/// <summary>The clone and agent containers, checked against mysql-agent's own parsing and routes.</summary>
public sealed class AgentContainerTests(RenderedManifests manifests)
    : IClassFixture<RenderedManifests>
{
    public static readonly TheoryData<string, string, string> OverlayContainerPod = Cases();

    [Theory]
    [MemberData(nameof(OverlayContainerPod))]
    public async Task The_clone_and_agent_arguments_pass_the_agents_own_dry_run(
        string overlay,
        string container,
        string pod
    )
    {
        using var invocation = Invocation(overlay, container, pod);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await AgentCommandLine.RunAsync(
            [.. invocation.Args, "--dry-run"],
            stdout,
            stderr,
            invocation.GetEnvironmentVariable,
            CancellationToken.None
        );

        // serve checks --lease-store kubernetes against the process's own environment (is this a
        // pod?), not the one given above: outside a pod those problems are expected, and the
        // pod's environment is checked against the same rules below.
        var options = Read(overlay, container, pod);
        var outsideThisPod = ElectionRegistration
            .Validate(options, Environment.GetEnvironmentVariable)
            .Select(p => $"mysql-agent {invocation.Args[0]}: error: {p}")
            .ToHashSet(StringComparer.Ordinal);
        var problems = stderr
            .ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !outsideThisPod.Contains(line))
            .ToList();
        Assert.True(
            code == ExitCodes.Success || (outsideThisPod.Count > 0 && problems.Count == 0),
            $"mysql-agent {string.Join(' ', invocation.Args)} --dry-run exited {code}: {stderr}"
        );
        Assert.Empty(ElectionRegistration.Validate(options, InThePod(invocation)));
        Assert.Equal(container == "agent" ? "serve" : "clone", invocation.Args[0]);
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Every_environment_variable_set_for_the_agent_is_one_it_reads(string overlay)
    {
        var known = OptionCatalog
            .All.SelectMany(o => new[] { o.EnvironmentName, o.ExtraEnvironmentName })
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var set = manifests.StatefulSet(overlay);
        const string probe = "read-by-the-agent";

        foreach (var name in new[] { "clone", "agent" })
        {
            foreach (var variable in RenderedManifests.Container(set, name).Env ?? [])
            {
                // Not an option: the Lease store's namespace (POD_NAMESPACE) is read by the election.
                var readAsNamespace =
                    ElectionRegistration.Namespace(n => n == variable.Name ? probe : null) == probe;
                Assert.True(
                    known.Contains(variable.Name) || readAsNamespace,
                    $"{overlay}: container {name} sets {variable.Name}, which mysql-agent does not read"
                );
            }
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Mysql_1_first_replicates_from_mysql_0_and_clones_from_it_by_the_sets_stable_names(
        string overlay
    )
    {
        var set = manifests.StatefulSet(overlay);
        var primaryHost = $"{set.Metadata.Name}-0.{set.Spec.ServiceName}";

        var agent = Read(overlay, "agent", "mysql-1");
        var clone = Read(overlay, "clone", "mysql-1");

        Assert.Equal("mysql-0.mysql:3306", agent.Primary.ToString());
        Assert.Equal($"{primaryHost}:3306", agent.Primary.ToString());
        Assert.Equal("mysql-0.mysql:3307", clone.Donor?.ToString());
        Assert.Equal($"{primaryHost}:3307", clone.Donor?.ToString());
        // The headless service is what makes mysql-N.<service> resolve.
        Assert.Equal(set.Spec.ServiceName, agent.Service);
        Assert.Equal(set.Spec.ServiceName, clone.Service);
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public async Task The_probes_and_hooks_ask_paths_the_agent_serves_on_its_http_port(
        string overlay
    )
    {
        var set = manifests.StatefulSet(overlay);
        var options = Read(overlay, "agent", "mysql-1");
        var routes = await ServedRoutesAsync(options);
        var agent = RenderedManifests.Container(set, "agent");
        var mysql = RenderedManifests.Container(set, "mysql");
        var probes = new[]
        {
            ("agent liveness probe", agent.LivenessProbe.HttpGet),
            ("mysql readiness probe", mysql.ReadinessProbe.HttpGet),
            ("agent preStop hook", agent.Lifecycle.PreStop.HttpGet),
            ("mysql preStop hook", mysql.Lifecycle.PreStop.HttpGet),
        };

        Assert.Equal("/healthz", probes[0].Item2.Path);
        Assert.Equal("/readyz", probes[1].Item2.Path);
        foreach (var (what, get) in probes)
        {
            Assert.Equal(options.HttpPort.ToString(), get.Port.Value);
            Assert.True(
                routes.Contains((get.Path, options.HttpPort)),
                $"{overlay}: the {what} asks {get.Path} on port {get.Port.Value}, "
                    + $"but the agent serves only {string.Join(", ", routes)}"
            );
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public async Task The_scrape_annotations_name_the_agents_metrics_path_and_port(string overlay)
    {
        var set = manifests.StatefulSet(overlay);
        var options = Read(overlay, "agent", "mysql-1");
        var annotations = set.Spec.Template.Metadata.Annotations;

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(options.HttpPort.ToString(), annotations["prometheus.io/port"]);
        Assert.Contains(
            (annotations["prometheus.io/path"], options.HttpPort),
            await ServedRoutesAsync(options)
        );
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void The_ports_the_agent_uses_are_the_ones_its_pod_and_the_headless_service_declare(
        string overlay
    )
    {
        var set = manifests.StatefulSet(overlay);
        var options = Read(overlay, "agent", "mysql-1");
        var agentPorts = RenderedManifests
            .Container(set, "agent")
            .Ports.Select(p => p.ContainerPort)
            .ToHashSet();
        var mysql = RenderedManifests.Container(set, "mysql");
        var headless = manifests.Named<V1Service>(overlay, set.Spec.ServiceName);

        Assert.Equal(
            [options.BackupPort, options.PrimaryProxyPort, options.HttpPort],
            agentPorts.Order()
        );
        Assert.Equal(options.LocalMysql.Port, mysql.Ports.Single().ContainerPort);
        Assert.Equal(options.Primary.Port, mysql.Ports.Single().ContainerPort);
        Assert.Equal(options.LocalMysql.Port.ToString(), mysql.LivenessProbe.TcpSocket.Port.Value);
        Assert.Equal(options.LocalMysql.Port.ToString(), mysql.StartupProbe.TcpSocket.Port.Value);
        Assert.Equal(
            [options.LocalMysql.Port, options.BackupPort, options.HttpPort],
            headless.Spec.Ports.Select(p => p.Port).Order()
        );
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void The_clone_and_the_agent_see_the_datadir_the_server_uses(string overlay)
    {
        var set = manifests.StatefulSet(overlay);
        var server = RenderedManifests
            .Container(set, "mysql")
            .VolumeMounts.Single(m => m.MountPath == "/var/lib/mysql");
        Assert.Contains(set.Spec.VolumeClaimTemplates, t => t.Metadata.Name == server.Name);

        foreach (var name in new[] { "clone", "agent" })
        {
            var dataDir = Read(overlay, name, "mysql-1").DataDir;
            // The same folder of the same volume: mounted as the server mounts it, or (the clone,
            // which renames it aside for a re-clone) inside a mount of the volume's root.
            var mount = RenderedManifests
                .Container(set, name)
                .VolumeMounts.SingleOrDefault(m =>
                    m.Name == server.Name
                    && (
                        (m.MountPath == dataDir && m.SubPath == server.SubPath)
                        || (
                            m.SubPath is null
                            && Path.Combine(m.MountPath, server.SubPath) == dataDir
                        )
                    )
                );
            Assert.True(
                mount is not null,
                $"{overlay}: {name} uses {dataDir} but mounts no folder {server.SubPath} of the volume {server.Name} there"
            );
            Assert.NotEqual(true, mount.ReadOnlyProperty);
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void The_secret_files_the_agent_reads_are_keys_of_the_secret_mounted_where_it_looks(
        string overlay
    )
    {
        var set = manifests.StatefulSet(overlay);
        var expected = new Dictionary<string, string[]>
        {
            ["clone"] = ["backup-token-file"],
            ["agent"] =
            [
                "admin-password-file",
                "replication-password-file",
                "backup-password-file",
                "backup-token-file",
            ],
        };

        foreach (var (name, fileOptions) in expected)
        {
            var container = RenderedManifests.Container(set, name);
            var mounts = AgentInvocation.SecretMountPaths(set, container);
            var values = MysqlAgent.Configuration.OptionValues.Parse(
                [.. (container.Args ?? []).Skip(1)],
                _ => null
            );
            foreach (var option in fileOptions)
            {
                var path = values.Get(option);
                Assert.True(path is not null, $"{overlay}: {name} does not set --{option}");
                Assert.Contains(Path.GetDirectoryName(path), mounts);
                Assert.Contains(Path.GetFileName(path), SecretKeys.Documented);
            }

            Assert.All(
                container.VolumeMounts.Where(m => mounts.Contains(m.MountPath)),
                m => Assert.True(m.ReadOnlyProperty)
            );
        }
    }

    [Fact]
    public void The_agent_connects_as_root_with_the_password_the_server_was_given()
    {
        foreach (var overlay in RenderedManifests.Overlays)
        {
            var set = manifests.StatefulSet(overlay);
            var options = Read(overlay, "agent", "mysql-1");
            var rootPassword = RenderedManifests
                .Container(set, "mysql")
                .Env.Single(e => e.Name.EndsWith("_ROOT_PASSWORD", StringComparison.Ordinal))
                .ValueFrom.SecretKeyRef;

            Assert.Equal("root", options.AdminUser);
            Assert.Equal(SecretKeys.SecretName, rootPassword.Name);
            Assert.EndsWith("/" + rootPassword.Key, options.AdminPassword?.Source);
        }
    }

    /// <summary>
    /// The container's environment as Kubernetes gives it: the API server's address is set in
    /// every container, whatever enableServiceLinks says.
    /// </summary>
    private static Func<string, string?> InThePod(AgentInvocation invocation) =>
        name =>
            name == "KUBERNETES_SERVICE_HOST"
                ? "10.96.0.1"
                : invocation.GetEnvironmentVariable(name);

    private AgentInvocation Invocation(string overlay, string container, string pod)
    {
        var set = manifests.StatefulSet(overlay);
        var spec = RenderedManifests.Container(set, container);
        // Dockerfile.agent bakes in ENV MYSQL_AGENT_BACKUP_TOOL=${BACKUP_TOOL}, the image tag's suffix.
        var image = new Dictionary<string, string>
        {
            ["MYSQL_AGENT_BACKUP_TOOL"] = spec.Image[(spec.Image.LastIndexOf('-') + 1)..],
        };
        return new AgentInvocation(set, spec, pod, image);
    }

    private AgentOptions Read(string overlay, string container, string pod)
    {
        using var invocation = Invocation(overlay, container, pod);
        return AgentOptionsReader.Read(
            OptionValues.Parse(invocation.Options, invocation.GetEnvironmentVariable)
        );
    }

    private static async Task<HashSet<(string Path, int Port)>> ServedRoutesAsync(
        AgentOptions options
    )
    {
        await using var app = ServeCommand.Build(options, Prometheus.Metrics.NewCustomRegistry());
        var routes = new HashSet<(string, int)>();
        foreach (
            var endpoint in ((IEndpointRouteBuilder)app)
                .DataSources.SelectMany(s => s.Endpoints)
                .OfType<RouteEndpoint>()
        )
        {
            if (endpoint.Metadata.GetMetadata<LocalPortMetadata>() is { } local)
            {
                routes.Add(("/" + endpoint.RoutePattern.RawText?.TrimStart('/'), local.Port));
            }
        }

        return routes;
    }

    private static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        // The fixed-primary ones too: the agent must accept its set without a Lease store.
        string[] kustomizations =
        [
            .. RenderedManifests.Overlays,
            RenderedManifests.MariaDbWithFixedPrimary,
            RenderedManifests.Mysql84WithFixedPrimary,
        ];
        foreach (var overlay in kustomizations)
        {
            foreach (var container in new[] { "clone", "agent" })
            {
                foreach (var pod in new[] { "mysql-0", "mysql-1", "mysql-2" })
                {
                    data.Add(overlay, container, pod);
                }
            }
        }

        return data;
    }
}
