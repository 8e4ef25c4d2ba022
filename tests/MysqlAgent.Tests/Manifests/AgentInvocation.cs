using k8s.Models;

namespace MysqlAgent.Tests.Manifests;

/// <summary>
/// A container's command line and environment as mysql-agent would see them in pod
/// <c>hostname</c>: files from the Secret's mount become temp files with the same names, and
/// values from the Secret become placeholders.
/// </summary>
internal sealed class AgentInvocation : IDisposable
{
    private readonly string _secrets = Directory.CreateTempSubdirectory("agent-secrets-").FullName;

    public AgentInvocation(
        V1StatefulSet set,
        V1Container container,
        string hostname,
        IReadOnlyDictionary<string, string>? imageEnvironment = null
    )
    {
        foreach (var key in SecretKeys.Documented)
        {
            File.WriteAllText(Path.Combine(_secrets, key), $"test-{key}\n");
        }

        var secretMounts = SecretMountPaths(set, container);
        string Rewrite(string value)
        {
            foreach (var mount in secretMounts)
            {
                value = value.Replace(mount + "/", _secrets + "/", StringComparison.Ordinal);
            }

            return value;
        }

        Args = [.. (container.Command ?? []).Concat(container.Args ?? []).Select(Rewrite)];
        // The image's ENV first; the container's env overrides it, as in Kubernetes.
        var environment = new Dictionary<string, string>(
            imageEnvironment ?? new Dictionary<string, string>(),
            StringComparer.Ordinal
        )
        {
            // Set by Kubernetes to the pod name.
            ["HOSTNAME"] = hostname,
        };
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] =
                variable.Value is { } value ? Rewrite(value)
                : variable.ValueFrom?.SecretKeyRef is { } reference ? $"test-{reference.Key}"
                : "test-value";
        }

        Environment = environment;
    }

    /// <summary>The command line after the image's ENTRYPOINT: the subcommand and its options.</summary>
    public IReadOnlyList<string> Args { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public string? GetEnvironmentVariable(string name) => Environment.GetValueOrDefault(name);

    /// <summary>The options alone, without the subcommand.</summary>
    public IReadOnlyList<string> Options => [.. Args.Skip(1)];

    public void Dispose() => Directory.Delete(_secrets, recursive: true);

    public static IReadOnlyList<string> SecretMountPaths(V1StatefulSet set, V1Container container)
    {
        var secretVolumes = set
            .Spec.Template.Spec.Volumes.Where(v => v.Secret?.SecretName == SecretKeys.SecretName)
            .Select(v => v.Name)
            .ToHashSet(StringComparer.Ordinal);
        return
        [
            .. (container.VolumeMounts ?? [])
                .Where(m => secretVolumes.Contains(m.Name))
                .Select(m => m.MountPath.TrimEnd('/')),
        ];
    }
}
