using k8s;
using k8s.Autorest;
using Polly;
using Polly.Timeout;

namespace MysqlAgent.Election;

/// <summary>
/// Deletes this pod through the API (<c>pods delete</c>, granted by the reclone-errant component's
/// Role only). The kubelet then stops its containers gracefully and the StatefulSet creates it again.
/// </summary>
public sealed class KubernetesPodDeleter : IPodDeleter, IDisposable
{
    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly string _namespace;
    private readonly string _pod;
    private readonly ResiliencePipeline _timeout;

    public KubernetesPodDeleter(
        IKubernetes client,
        string @namespace,
        string pod,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    )
        : this(client, false, @namespace, pod, callTimeout, timeProvider) { }

    private KubernetesPodDeleter(
        IKubernetes client,
        bool ownsClient,
        string @namespace,
        string pod,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    )
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(pod);
        _client = client;
        _ownsClient = ownsClient;
        _namespace = @namespace;
        _pod = pod;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(callTimeout)
            .Build();
    }

    /// <summary>The pod's own service account.</summary>
    public static KubernetesPodDeleter InCluster(
        string @namespace,
        string pod,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    ) =>
        new(
            new Kubernetes(KubernetesClientConfiguration.InClusterConfig()),
            true,
            @namespace,
            pod,
            callTimeout,
            timeProvider
        );

    /// <summary>A client of the API server at <paramref name="host"/>, without credentials (tests).</summary>
    public static KubernetesPodDeleter ForHost(
        Uri host,
        string @namespace,
        string pod,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    )
    {
        ArgumentNullException.ThrowIfNull(host);
        return new(
            new Kubernetes(
                new KubernetesClientConfiguration { Host = host.ToString().TrimEnd('/') }
            ),
            true,
            @namespace,
            pod,
            callTimeout,
            timeProvider
        );
    }

    public async Task<string?> DeleteOwnPodAsync(CancellationToken cancellationToken)
    {
        var what = $"delete pod {_namespace}/{_pod}";
        try
        {
            await _timeout
                .ExecuteAsync(
                    async token =>
                        await _client
                            .CoreV1.DeleteNamespacedPodAsync(
                                _pod,
                                _namespace,
                                cancellationToken: token
                            )
                            .ConfigureAwait(false),
                    cancellationToken
                )
                .ConfigureAwait(false);
            return null;
        }
        catch (HttpOperationException e)
        {
            return $"{what}: HTTP {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}"
                + (
                    e.Response.StatusCode == System.Net.HttpStatusCode.Forbidden
                        ? " (the Role lacks pods delete: add the reclone-errant component)"
                        : ""
                );
        }
        catch (TimeoutRejectedException)
        {
            return $"{what}: timed out";
        }
        catch (HttpRequestException e)
        {
            return $"{what}: {e.Message}";
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
