using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Polly;
using Polly.Timeout;

namespace MysqlAgent.Election;

/// <summary>
/// The pods of this pod's namespace through KubernetesClient.Aot, each call within the API call
/// timeout. A refusal, a timeout or an unreachable server is answered as its status and one line,
/// never thrown: the election logs it and tries again at a later step.
/// </summary>
public sealed class PodApi : IDisposable
{
    private readonly IKubernetes _client;
    private readonly ResiliencePipeline _timeout;

    private PodApi(
        IKubernetes client,
        string @namespace,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    )
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        _client = client;
        Namespace = @namespace;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(callTimeout)
            .Build();
    }

    public string Namespace { get; }

    /// <summary>With the pod's own service account.</summary>
    public static PodApi InCluster(
        string @namespace,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    ) =>
        new(
            new Kubernetes(KubernetesClientConfiguration.InClusterConfig()),
            @namespace,
            callTimeout,
            timeProvider
        );

    /// <summary>An API server at <paramref name="host"/>, without credentials (tests).</summary>
    public static PodApi ForHost(
        Uri host,
        string @namespace,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    )
    {
        ArgumentNullException.ThrowIfNull(host);
        return new(
            new Kubernetes(
                new KubernetesClientConfiguration { Host = host.ToString().TrimEnd('/') }
            ),
            @namespace,
            callTimeout,
            timeProvider
        );
    }

    /// <summary>Patches <paramref name="pod"/>: the status of a refusal and the error line, or (null, null).</summary>
    public Task<(HttpStatusCode? Status, string? Error)> PatchAsync(
        string pod,
        V1Patch patch,
        CancellationToken cancellationToken
    ) =>
        CallAsync(
            $"patch pod {Namespace}/{pod}",
            (client, ct) =>
                client.CoreV1.PatchNamespacedPodAsync(patch, pod, Namespace, cancellationToken: ct),
            cancellationToken
        );

    /// <summary>Deletes <paramref name="pod"/> (gracefully, as kubectl delete pod does).</summary>
    public Task<(HttpStatusCode? Status, string? Error)> DeleteAsync(
        string pod,
        CancellationToken cancellationToken
    ) =>
        CallAsync(
            $"delete pod {Namespace}/{pod}",
            (client, ct) =>
                client.CoreV1.DeleteNamespacedPodAsync(pod, Namespace, cancellationToken: ct),
            cancellationToken
        );

    private async Task<(HttpStatusCode? Status, string? Error)> CallAsync(
        string what,
        Func<IKubernetes, CancellationToken, Task> call,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await _timeout
                .ExecuteAsync(
                    async token => await call(_client, token).ConfigureAwait(false),
                    cancellationToken
                )
                .ConfigureAwait(false);
            return (null, null);
        }
        catch (HttpOperationException e)
        {
            return (
                e.Response.StatusCode,
                $"{what}: HTTP {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}"
            );
        }
        catch (TimeoutRejectedException)
        {
            return (null, $"{what}: timed out");
        }
        catch (HttpRequestException e)
        {
            return (null, $"{what}: {e.Message}");
        }
    }

    public void Dispose() => _client.Dispose();
}
