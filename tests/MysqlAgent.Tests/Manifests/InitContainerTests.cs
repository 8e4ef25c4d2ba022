using k8s.Models;

namespace MysqlAgent.Tests.Manifests;

/// <summary>The init container, checked against mysql-init (its binary when published, else its source).</summary>
public sealed class InitContainerTests(RenderedManifests manifests)
    : IClassFixture<RenderedManifests>
{
    private const string ConfigMapDirOption = "--config-map-dir";
    private const string ConfDirOption = "--conf-dir";

    /// <summary>mysql-init's defaults, used when the manifest does not pass the option.</summary>
    private static readonly Dictionary<string, string> Defaults = new()
    {
        [ConfigMapDirOption] = "/mnt/config-map",
        [ConfDirOption] = "/mnt/conf.d",
    };

    /// <summary>Where the server images read extra configuration.</summary>
    private const string ServerConfDir = "/etc/mysql/conf.d";

    public static readonly TheoryData<string, string> OverlayPod = new()
    {
        { RenderedManifests.Mysql84, "mysql-0" },
        { RenderedManifests.Mysql84, "mysql-1" },
        { RenderedManifests.MariaDb, "mysql-0" },
        { RenderedManifests.MariaDb, "mysql-1" },
    };

    [Theory]
    [MemberData(nameof(OverlayPod))]
    public async Task The_init_arguments_are_accepted_by_mysql_init(string overlay, string pod)
    {
        var container = Init(overlay);
        var args = container.Args ?? [];

        if (MysqlInitProgram.Binary is null)
        {
            var declared = MysqlInitProgram.DeclaredOptions.ToHashSet(StringComparer.Ordinal);
            Assert.True(
                declared.Count > 0,
                "init/ declares no --options at all: is mysql-init implemented on this branch?"
            );
            foreach (var (name, _) in Options(args))
            {
                Assert.True(
                    declared.Contains(name),
                    $"{overlay}: init passes {name}, which mysql-init does not declare ({string.Join(", ", declared.Order())})"
                );
            }

            return;
        }

        // The real program, on scratch folders that stand for the mounts; the ConfigMap's
        // rendered files stand for /mnt/config-map.
        var scratch = Directory.CreateTempSubdirectory("init-dry-run-").FullName;
        try
        {
            var configMap = Directory.CreateDirectory(Path.Combine(scratch, "config-map")).FullName;
            var conf = Directory.CreateDirectory(Path.Combine(scratch, "conf.d")).FullName;
            foreach (var (file, text) in manifests.ConfigMap(overlay).Data)
            {
                await File.WriteAllTextAsync(Path.Combine(configMap, file), text);
            }

            var replacements = new Dictionary<string, string>
            {
                [ConfigMapDirOption] = configMap,
                [ConfDirOption] = conf,
            };
            var rewritten = Options(args)
                .Select(o =>
                    o.Value is null ? o.Name
                    : replacements.TryGetValue(o.Name, out var scratchFolder)
                        ? $"{o.Name}={scratchFolder}"
                    : $"{o.Name}={o.Value}"
                )
                .ToList();
            var environment = (container.Env ?? []).ToDictionary(
                e => e.Name,
                e => e.Value ?? "test-value"
            );
            environment["HOSTNAME"] = pod;

            var result = await MysqlInitProgram.RunAsync([.. rewritten, "--dry-run"], environment);

            Assert.True(
                result.ExitCode == 0,
                $"mysql-init {string.Join(' ', rewritten)} --dry-run exited {result.ExitCode}: {result.StandardError}"
            );
            Assert.Empty(Directory.EnumerateFileSystemEntries(conf));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Every_environment_variable_set_for_init_is_one_mysql_init_reads(string overlay)
    {
        var known = MysqlInitProgram
            .DeclaredEnvironmentVariables.Append("HOSTNAME")
            .ToHashSet(StringComparer.Ordinal);

        foreach (var variable in Init(overlay).Env ?? [])
        {
            Assert.True(
                known.Contains(variable.Name),
                $"{overlay}: init sets {variable.Name}, which mysql-init does not read"
            );
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void Init_reads_the_config_map_and_writes_into_the_folder_the_server_reads(
        string overlay
    )
    {
        var set = manifests.StatefulSet(overlay);
        var init = Init(overlay);
        var given = Options(init.Args ?? []).ToDictionary(o => o.Name, o => o.Value);
        string Folder(string option) => given.GetValueOrDefault(option) ?? Defaults[option];

        var configMapMount = init.VolumeMounts.Single(m =>
            m.MountPath == Folder(ConfigMapDirOption)
        );
        var confMount = init.VolumeMounts.Single(m => m.MountPath == Folder(ConfDirOption));
        var serverConf = RenderedManifests
            .Container(set, "mysql")
            .VolumeMounts.Single(m => m.MountPath == ServerConfDir);
        var volumes = set.Spec.Template.Spec.Volumes.ToDictionary(v => v.Name);

        Assert.Equal(
            manifests.ConfigMap(overlay).Metadata.Name,
            volumes[configMapMount.Name].ConfigMap?.Name
        );
        Assert.Equal(confMount.Name, serverConf.Name);
        Assert.NotNull(volumes[confMount.Name].EmptyDir);
        Assert.NotEqual(true, confMount.ReadOnlyProperty);
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void The_config_map_holds_exactly_the_role_files_mysql_init_copies(string overlay)
    {
        var files = manifests.ConfigMap(overlay).Data.Keys.Order().ToArray();

        Assert.Equal(["primary.cnf", "replica.cnf"], files);
        if (MysqlInitProgram.Binary is null)
        {
            // The binary's dry run above reads them; the source names them as literals.
            Assert.Contains("primary.cnf", MysqlInitProgram.SourceLiterals);
            Assert.Contains("replica.cnf", MysqlInitProgram.SourceLiterals);
        }
    }

    private V1Container Init(string overlay) =>
        RenderedManifests.Container(manifests.StatefulSet(overlay), "init");

    /// <summary><c>--name=value</c> and <c>--name value</c> pairs; flags get a null value.</summary>
    private static IEnumerable<(string Name, string? Value)> Options(IList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                yield return (arg[..equals], arg[(equals + 1)..]);
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                yield return (arg, args[++i]);
            }
            else
            {
                yield return (arg, null);
            }
        }
    }
}
