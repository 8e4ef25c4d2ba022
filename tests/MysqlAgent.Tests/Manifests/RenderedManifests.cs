using k8s;
using k8s.Models;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>Every kustomization of <c>manifests/</c>, rendered once and loaded as typed objects.</summary>
public sealed class RenderedManifests : IAsyncLifetime
{
    public const string Base = "base";
    public const string Mysql84 = "overlays/mysql84";
    public const string MariaDb = "overlays/mariadb";
    public const string ServiceMonitorComponent = "components/servicemonitor";

    /// <summary>An overlay with the ServiceMonitor component added, as docs/user/kubernetes.md tells a user to.</summary>
    public const string Mysql84WithServiceMonitor = "mysql84 + components/servicemonitor";

    public const string TlsComponent = "components/tls";

    /// <summary>Each overlay with the TLS component added, as docs/user/kubernetes.md tells a user to.</summary>
    public const string MariaDbWithTls = "mariadb + components/tls";
    public const string Mysql84WithTls = "mysql84 + components/tls";

    public const string KeepErrantComponent = "components/keep-errant";

    /// <summary>The opt-out of the re-clone of errant pods, on top of the base's elected primary, which it changes.</summary>
    public const string MariaDbKeepingErrant = "mariadb + components/keep-errant";

    public const string FixedPrimaryComponent = "components/fixed-primary";

    /// <summary>Each overlay with the opt-out of the election added, as docs/user/kubernetes.md tells a user to.</summary>
    public const string MariaDbWithFixedPrimary = "mariadb + components/fixed-primary";
    public const string Mysql84WithFixedPrimary = "mysql84 + components/fixed-primary";

    /// <summary>Both components together: their patches of the same containers must compose.</summary>
    public const string MariaDbWithTlsAndFixedPrimary =
        "mariadb + components/tls + components/fixed-primary";

    public const string DirectPrimaryServiceComponent = "components/direct-primary-service";

    /// <summary>The opt-out of the primary proxy: mysql-primary selects the pod labelled primary, on 3306.</summary>
    public const string MariaDbWithDirectPrimaryService =
        "mariadb + components/direct-primary-service";

    public const string BackupsComponent = "components/backups";

    /// <summary>Each overlay with backups and binlog archiving added, as docs/user/backups.md tells a user to.</summary>
    public const string MariaDbWithBackups = "mariadb + components/backups";
    public const string Mysql84WithBackups = "mysql84 + components/backups";

    public static readonly string[] Overlays = [Mysql84, MariaDb];

    /// <summary>The renders whose primary is elected through the Lease: the base's default, with or without TLS.</summary>
    public static readonly string[] WithElectedPrimary =
    [
        MariaDb,
        Mysql84,
        MariaDbWithTls,
        Mysql84WithTls,
    ];

    /// <summary>Each render with the fixed-primary component, and the elected render it was made from.</summary>
    public static readonly (string Fixed, string Elected)[] WithFixedPrimary =
    [
        (MariaDbWithFixedPrimary, MariaDb),
        (Mysql84WithFixedPrimary, Mysql84),
        (MariaDbWithTlsAndFixedPrimary, MariaDbWithTls),
    ];

    /// <summary>Only these kinds may appear; a document of any other kind fails to load.</summary>
    private static readonly Dictionary<string, Type> TypeMap = new()
    {
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Service"] = typeof(V1Service),
        ["v1/Secret"] = typeof(V1Secret),
        ["apps/v1/StatefulSet"] = typeof(V1StatefulSet),
        ["networking.k8s.io/v1/NetworkPolicy"] = typeof(V1NetworkPolicy),
        ["policy/v1/PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
        ["cert-manager.io/v1/Issuer"] = typeof(CertManagerIssuer),
        ["cert-manager.io/v1/Certificate"] = typeof(CertManagerCertificate),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["rbac.authorization.k8s.io/v1/Role"] = typeof(V1Role),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = typeof(V1RoleBinding),
        ["batch/v1/CronJob"] = typeof(V1CronJob),
    };

    private readonly Dictionary<string, string> _yaml = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<object>> _objects = new(
        StringComparer.Ordinal
    );
    private string? _scratch;

    public async Task InitializeAsync()
    {
        _scratch = Directory.CreateTempSubdirectory("manifests-").FullName;
        var withComponent = Path.Combine(_scratch, "with-servicemonitor");
        Directory.CreateDirectory(withComponent);
        // kustomize takes only relative paths to other kustomizations.
        await File.WriteAllTextAsync(
            Path.Combine(withComponent, "kustomization.yaml"),
            $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - {Path.GetRelativePath(withComponent, Repository.Of("manifests", Mysql84))}
            components:
              - {Path.GetRelativePath(
                withComponent,
                Repository.Of("manifests", ServiceMonitorComponent)
            )}
            """
        );

        var mariaDbWithTls = await WriteWithComponentAsync(
            "mariadb-with-tls",
            MariaDb,
            TlsComponent
        );
        var mysql84WithTls = await WriteWithComponentAsync(
            "mysql84-with-tls",
            Mysql84,
            TlsComponent
        );
        var mariaDbKeepingErrant = await WriteWithComponentAsync(
            "mariadb-keeping-errant",
            MariaDb,
            KeepErrantComponent
        );
        var mariaDbWithFixedPrimary = await WriteWithComponentAsync(
            "mariadb-with-fixed-primary",
            MariaDb,
            FixedPrimaryComponent
        );
        var mysql84WithFixedPrimary = await WriteWithComponentAsync(
            "mysql84-with-fixed-primary",
            Mysql84,
            FixedPrimaryComponent
        );
        var mariaDbWithTlsAndFixedPrimary = await WriteWithComponentAsync(
            "mariadb-with-tls-and-fixed-primary",
            MariaDb,
            TlsComponent,
            FixedPrimaryComponent
        );
        var mariaDbWithBackups = await WriteWithComponentAsync(
            "mariadb-with-backups",
            MariaDb,
            BackupsComponent
        );
        var mysql84WithBackups = await WriteWithComponentAsync(
            "mysql84-with-backups",
            Mysql84,
            BackupsComponent
        );
        var mariaDbWithDirectPrimaryService = await WriteWithComponentAsync(
            "mariadb-with-direct-primary-service",
            MariaDb,
            DirectPrimaryServiceComponent
        );
        var targets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Base] = Repository.Of("manifests", Base),
            [Mysql84] = Repository.Of("manifests", Mysql84),
            [MariaDb] = Repository.Of("manifests", MariaDb),
            [ServiceMonitorComponent] = Repository.Of("manifests", ServiceMonitorComponent),
            [Mysql84WithServiceMonitor] = withComponent,
            [MariaDbWithTls] = mariaDbWithTls,
            [Mysql84WithTls] = mysql84WithTls,
            [MariaDbKeepingErrant] = mariaDbKeepingErrant,
            [MariaDbWithFixedPrimary] = mariaDbWithFixedPrimary,
            [Mysql84WithFixedPrimary] = mysql84WithFixedPrimary,
            [MariaDbWithTlsAndFixedPrimary] = mariaDbWithTlsAndFixedPrimary,
            [MariaDbWithBackups] = mariaDbWithBackups,
            [Mysql84WithBackups] = mysql84WithBackups,
            [MariaDbWithDirectPrimaryService] = mariaDbWithDirectPrimaryService,
        };
        var rendered = await Task.WhenAll(
            targets.Select(async t => (t.Key, Yaml: await Kustomize.RenderAsync(t.Value)))
        );
        foreach (var (name, yaml) in rendered)
        {
            _yaml[name] = yaml;
            _objects[name] = KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true);
        }
    }

    /// <summary>A kustomization of <paramref name="overlay"/> with <paramref name="components"/> added, in order.</summary>
    private async Task<string> WriteWithComponentAsync(
        string name,
        string overlay,
        params string[] components
    )
    {
        var folder = Path.Combine(_scratch!, name);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(
            Path.Combine(folder, "kustomization.yaml"),
            $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - {Path.GetRelativePath(folder, Repository.Of("manifests", overlay))}
            components:
            {string.Join(
                "\n",
                components.Select(c =>
                    "  - " + Path.GetRelativePath(folder, Repository.Of("manifests", c))
                )
            )}
            """
        );
        return folder;
    }

    public Task DisposeAsync()
    {
        if (_scratch is not null)
        {
            Directory.Delete(_scratch, recursive: true);
        }

        return Task.CompletedTask;
    }

    public string Yaml(string kustomization) => _yaml[kustomization];

    public IReadOnlyList<object> Objects(string kustomization) => _objects[kustomization];

    public T Named<T>(string kustomization, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Objects(kustomization).OfType<T>().Single(o => o.Metadata.Name == name);

    public V1StatefulSet StatefulSet(string kustomization) =>
        Objects(kustomization).OfType<V1StatefulSet>().Single();

    /// <summary>The ConfigMap of the role files that mysql-init copies (generator "mysql"), not mysql-failover.</summary>
    public V1ConfigMap ConfigMap(string kustomization) =>
        Generated<V1ConfigMap>(kustomization, "mysql");

    /// <summary>The one object kustomize generated from <paramref name="generatorName"/>: its name plus "-" and a hash.</summary>
    public T Generated<T>(string kustomization, string generatorName)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Objects(kustomization)
            .OfType<T>()
            .Single(o =>
                o.Metadata.Name.LastIndexOf('-') is > 0 and var dash
                && o.Metadata.Name[..dash] == generatorName
            );

    public static IEnumerable<V1Container> AllContainers(V1StatefulSet set) =>
        set.Spec.Template.Spec.InitContainers.Concat(set.Spec.Template.Spec.Containers);

    public static V1Container Container(V1StatefulSet set, string name) =>
        AllContainers(set).Single(c => c.Name == name);

    public static TheoryData<string> OverlayNames() => new(Overlays);

    public static readonly string[] Names =
    [
        Base,
        Mysql84,
        MariaDb,
        ServiceMonitorComponent,
        Mysql84WithServiceMonitor,
        MariaDbWithTls,
        Mysql84WithTls,
        MariaDbKeepingErrant,
        MariaDbWithFixedPrimary,
        Mysql84WithFixedPrimary,
        MariaDbWithTlsAndFixedPrimary,
        MariaDbWithDirectPrimaryService,
    ];

    public static TheoryData<string> AllNames() => new(Names);

    public static TheoryData<string> ElectedPrimaryNames() => new(WithElectedPrimary);

    public static TheoryData<string> FixedPrimaryNames() =>
        new(WithFixedPrimary.Select(p => p.Fixed));

    public static TheoryData<string, string> FixedAndElectedNames()
    {
        var data = new TheoryData<string, string>();
        foreach (var (fixedPrimary, elected) in WithFixedPrimary)
        {
            data.Add(fixedPrimary, elected);
        }

        return data;
    }
}
