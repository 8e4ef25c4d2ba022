using k8s;
using k8s.Autorest;
using k8s.Models;
using Polly;
using Polly.Timeout;

namespace MysqlAgent.Election;

/// <summary>
/// Writes this pod's role into its label <c>mysql-agent.io/role</c> (primary, replica, errant) with
/// a merge patch, so that a <c>mysql-primary</c> Service can select the primary. Only a change is
/// written; a failed write is answered as an error line and tried again at the next change or step.
/// </summary>
public sealed class PodRoleLabel : IDisposable
{
    public const string LabelKey = "mysql-agent.io/role";

    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly string _namespace;
    private readonly string _pod;
    private readonly ResiliencePipeline _timeout;
    private string? _written;

    public PodRoleLabel(
        IKubernetes client,
        string @namespace,
        string pod,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    )
        : this(client, false, @namespace, pod, callTimeout, timeProvider) { }

    private PodRoleLabel(
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
    public static PodRoleLabel InCluster(
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

    /// <summary>An API server at <paramref name="host"/> (tests).</summary>
    public static PodRoleLabel ForHost(
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

    /// <summary>Writes <paramref name="role"/> unless it is the last one written; null when done, else why not.</summary>
    public async Task<string?> SetAsync(string role, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        if (role == _written)
        {
            return null;
        }

        // The role is one of our own words (no quoting needed), never user input.
        var patch = new V1Patch(
            "{\"metadata\":{\"labels\":{\"" + LabelKey + "\":\"" + role + "\"}}}",
            V1Patch.PatchType.MergePatch
        );
        try
        {
            await _timeout
                .ExecuteAsync(
                    async token =>
                        await _client
                            .CoreV1.PatchNamespacedPodAsync(
                                patch,
                                _pod,
                                _namespace,
                                cancellationToken: token
                            )
                            .ConfigureAwait(false),
                    cancellationToken
                )
                .ConfigureAwait(false);
            _written = role;
            return null;
        }
        catch (HttpOperationException e)
        {
            return $"patch pod {_namespace}/{_pod}: HTTP {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}";
        }
        catch (TimeoutRejectedException)
        {
            return $"patch pod {_namespace}/{_pod}: timed out";
        }
        catch (HttpRequestException e)
        {
            return $"patch pod {_namespace}/{_pod}: {e.Message}";
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
