using MysqlAgent.Configuration;

namespace MysqlAgent.Election;

/// <summary>The election in <c>serve</c>: registered only when <c>--lease-store</c> is not <c>none</c>.</summary>
public static class ElectionRegistration
{
    /// <summary>Where a pod's service account is mounted (token, CA, namespace).</summary>
    public const string ServiceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static IServiceCollection AddElection(
        this IServiceCollection services,
        AgentOptions options
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.LeaseStore.Enabled)
        {
            return services;
        }

        services.AddSingleton(provider =>
            CreateStore(options, provider.GetRequiredService<TimeProvider>())
        );
        if (options.LeaseStore.Kind == LeaseStoreKind.Kubernetes)
        {
            services.AddSingleton(provider =>
                PodRoleLabel.InCluster(
                    Namespace(Environment.GetEnvironmentVariable)
                        ?? throw new InvalidOperationException("the pod's namespace is unknown"),
                    options.Pod.PodName,
                    options.ElectionTimings.ApiCallTimeout,
                    provider.GetRequiredService<TimeProvider>()
                )
            );
        }

        if (options.RecloneErrant)
        {
            services.AddSingleton<IPodDeleter>(provider =>
                options.LeaseStore.Kind == LeaseStoreKind.Kubernetes
                    ? new KubernetesPodDeleter(
                        PodApi.InCluster(
                            Namespace(Environment.GetEnvironmentVariable)
                                ?? throw new InvalidOperationException(
                                    "the pod's namespace is unknown"
                                ),
                            options.ElectionTimings.ApiCallTimeout,
                            provider.GetRequiredService<TimeProvider>()
                        ),
                        options.Pod.PodName
                    )
                    : new FilePodDeleter(
                        options.LeaseStore.Folder!,
                        options.Pod.PodName,
                        provider.GetRequiredService<TimeProvider>()
                    )
            );
        }

        services.AddSingleton<ElectionParts>();
        services.AddHostedService<ElectionService>();
        services.AddSingleton<PreStopSwitchover>();
        return services;
    }

    /// <summary>
    /// <c>GET /prestop</c> for the pods' preStop hooks (<see cref="PreStopSwitchover"/>); without an
    /// election it answers at once that there is nothing to hand over.
    /// </summary>
    public static IEndpointConventionBuilder MapPreStop(this IEndpointRouteBuilder endpoints)
    {
        // A RequestDelegate on purpose: a lambda of HttpContext returning Task<IResult> binds to
        // MapGet's RequestDelegate overload, and its IResult would be dropped (an empty 200).
        return endpoints.MapGet(
            "/prestop",
            async context =>
            {
                var answer = context.RequestServices.GetService<PreStopSwitchover>()
                    is { } switchover
                    ? await switchover.RunAsync().ConfigureAwait(false)
                    : "no election: nothing to hand over\n";
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context
                    .Response.WriteAsync(answer, context.RequestAborted)
                    .ConfigureAwait(false);
            }
        );
    }

    /// <summary>The Lease's name: <c>&lt;statefulset&gt;-primary</c>.</summary>
    public static string LeaseName(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Pod.StatefulSetName + "-primary";
    }

    /// <summary>Problems with <c>--lease-store</c> that can be seen before start; empty when none.</summary>
    public static IEnumerable<string> Validate(
        AgentOptions options,
        Func<string, string?> environment
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (options.LeaseStore.Kind != LeaseStoreKind.Kubernetes)
        {
            yield break;
        }

        if (string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")))
        {
            yield return "--lease-store kubernetes runs only in a pod (KUBERNETES_SERVICE_HOST is not set); use --lease-store file:<folder> outside Kubernetes";
        }
        else if (Namespace(environment) is null)
        {
            yield return $"--lease-store kubernetes: the pod's namespace is unknown; set POD_NAMESPACE from metadata.namespace (downward API) or mount the service account ({ServiceAccountFolder}/namespace)";
        }
    }

    /// <summary>POD_NAMESPACE, else the service account's namespace file; null when neither.</summary>
    public static string? Namespace(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment("POD_NAMESPACE") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        var file = Path.Combine(ServiceAccountFolder, "namespace");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    /// <summary>
    /// Problems with the options of a command on the set's Lease (switchover, pause, resume): it
    /// needs the store that serve has, with the same checks.
    /// </summary>
    public static IEnumerable<string> ValidateLeaseCommand(string command, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.LeaseStore.Enabled)
        {
            yield return $"{command} needs the set's --lease-store (file:<folder> or kubernetes), as serve has it";
        }

        foreach (var problem in Validate(options, Environment.GetEnvironmentVariable))
        {
            yield return problem;
        }
    }

    /// <summary>Runs <paramref name="use"/> with the store <c>--lease-store</c> names, then lets it go.</summary>
    public static async Task<T> WithStoreAsync<T>(
        AgentOptions options,
        TimeProvider time,
        Func<ILeaseStore, Task<T>> use
    )
    {
        ArgumentNullException.ThrowIfNull(use);
        var store = CreateStore(options, time);
        try
        {
            return await use(store).ConfigureAwait(false);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>The store <c>--lease-store</c> names (not none).</summary>
    public static ILeaseStore CreateStore(AgentOptions options, TimeProvider time)
    {
        var timings = options.ElectionTimings;
        switch (options.LeaseStore.Kind)
        {
            case LeaseStoreKind.File:
                Directory.CreateDirectory(options.LeaseStore.Folder!);
                return new FileLeaseStore(options.LeaseStore.Folder!, timings.ApiCallTimeout, time);
            case LeaseStoreKind.Kubernetes:
                return KubernetesLeaseStore.InCluster(
                    Namespace(Environment.GetEnvironmentVariable)
                        ?? throw new InvalidOperationException("the pod's namespace is unknown"),
                    LeaseName(options),
                    timings,
                    time
                );
            default:
                throw new InvalidOperationException($"no lease store for {options.LeaseStore}");
        }
    }
}
