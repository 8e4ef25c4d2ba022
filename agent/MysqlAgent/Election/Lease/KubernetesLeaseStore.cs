using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Polly;
using Polly.Timeout;

namespace MysqlAgent.Election;

/// <summary>
/// The Lease as a coordination.k8s.io/v1 object, through KubernetesClient.Aot's plain Lease calls:
/// compare-and-swap on <c>metadata.resourceVersion</c> (the API server answers 409 to a stale one).
/// Every failure other than 404 and 409 (5xx, 429, 403, a timeout, a refused connection) is
/// Unavailable, and its status is kept in the error so the elector's log says which.
/// </summary>
public sealed class KubernetesLeaseStore : ILeaseStore, IDisposable
{
    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly string _namespace;
    private readonly string _name;
    private readonly int _leaseDurationSeconds;
    private readonly ResiliencePipeline _timeout;

    public KubernetesLeaseStore(
        IKubernetes client,
        string @namespace,
        string name,
        ElectionTimings timings,
        TimeProvider timeProvider
    )
        : this(client, ownsClient: false, @namespace, name, timings, timeProvider) { }

    private KubernetesLeaseStore(
        IKubernetes client,
        bool ownsClient,
        string @namespace,
        string name,
        ElectionTimings timings,
        TimeProvider timeProvider
    )
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(timings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _client = client;
        _ownsClient = ownsClient;
        _namespace = @namespace;
        _name = name;
        _leaseDurationSeconds = (int)Math.Ceiling(timings.LeaseDuration.TotalSeconds);
        _timeout = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(timings.ApiCallTimeout)
            .Build();
    }

    /// <summary>A store talking to the API server at <paramref name="host"/> (tests, kubectl proxy).</summary>
    public static KubernetesLeaseStore ForHost(
        Uri host,
        string @namespace,
        string name,
        ElectionTimings timings,
        TimeProvider timeProvider
    )
    {
        ArgumentNullException.ThrowIfNull(host);
        var client = new Kubernetes(
            new KubernetesClientConfiguration { Host = host.ToString().TrimEnd('/') }
        );
        return new KubernetesLeaseStore(
            client,
            ownsClient: true,
            @namespace,
            name,
            timings,
            timeProvider
        );
    }

    /// <summary>A store using the pod's service account (the mounted token and CA).</summary>
    public static KubernetesLeaseStore InCluster(
        string @namespace,
        string name,
        ElectionTimings timings,
        TimeProvider timeProvider
    ) =>
        new(
            new Kubernetes(KubernetesClientConfiguration.InClusterConfig()),
            ownsClient: true,
            @namespace,
            name,
            timings,
            timeProvider
        );

    public Task<LeaseResult> GetAsync(CancellationToken cancellationToken) =>
        CallAsync(
            "read",
            async token =>
                LeaseResult.Ok(
                    ToVersioned(
                        await _client
                            .CoordinationV1.ReadNamespacedLeaseAsync(
                                _name,
                                _namespace,
                                cancellationToken: token
                            )
                            .ConfigureAwait(false)
                    )
                ),
            onNotFound: LeaseResult.NotFound,
            onConflict: LeaseResult.Conflict("the API server answered 409 to a read"),
            cancellationToken
        );

    public Task<LeaseResult> CreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CallAsync(
            "create",
            async token =>
                LeaseResult.Ok(
                    ToVersioned(
                        await _client
                            .CoordinationV1.CreateNamespacedLeaseAsync(
                                ToLease(record, resourceVersion: null),
                                _namespace,
                                cancellationToken: token
                            )
                            .ConfigureAwait(false)
                    )
                ),
            onNotFound: LeaseResult.Unavailable(
                $"namespace {_namespace} not found (404 on create)"
            ),
            onConflict: LeaseResult.Conflict("the Lease exists already"),
            cancellationToken
        );
    }

    public Task<LeaseResult> ReplaceAsync(
        LeaseRecord record,
        string expectedVersion,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(expectedVersion);
        return CallAsync(
            "replace",
            async token =>
                LeaseResult.Ok(
                    ToVersioned(
                        await _client
                            .CoordinationV1.ReplaceNamespacedLeaseAsync(
                                ToLease(record, expectedVersion),
                                _name,
                                _namespace,
                                cancellationToken: token
                            )
                            .ConfigureAwait(false)
                    )
                ),
            onNotFound: LeaseResult.Conflict("the Lease is gone"),
            onConflict: LeaseResult.Conflict($"resourceVersion {expectedVersion} is stale (409)"),
            cancellationToken
        );
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task<LeaseResult> CallAsync(
        string verb,
        Func<CancellationToken, Task<LeaseResult>> call,
        LeaseResult onNotFound,
        LeaseResult onConflict,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await _timeout
                .ExecuteAsync(
                    async token => await call(token).ConfigureAwait(false),
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return onNotFound;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return onConflict;
        }
        catch (HttpOperationException e)
        {
            return LeaseResult.Unavailable(
                $"{verb} lease {_namespace}/{_name}: HTTP {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}"
            );
        }
        catch (TimeoutRejectedException)
        {
            return LeaseResult.Unavailable($"{verb} lease {_namespace}/{_name}: timed out");
        }
        catch (HttpRequestException e)
        {
            return LeaseResult.Unavailable($"{verb} lease {_namespace}/{_name}: {e.Message}");
        }
        catch (FormatException e)
        {
            return LeaseResult.Unavailable($"{verb} lease {_namespace}/{_name}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout.
            return LeaseResult.Unavailable($"{verb} lease {_namespace}/{_name}: timed out");
        }
    }

    private V1Lease ToLease(LeaseRecord record, string? resourceVersion) =>
        new()
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new V1ObjectMeta
            {
                Name = _name,
                NamespaceProperty = _namespace,
                ResourceVersion = resourceVersion,
                Annotations = LeaseAnnotations.From(record),
            },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = record.Holder,
                LeaseDurationSeconds = _leaseDurationSeconds,
                LeaseTransitions = checked((int)record.Term),
                RenewTime = record.RenewedAt.UtcDateTime,
            },
        };

    private static VersionedLease ToVersioned(V1Lease lease)
    {
        var (history, switchover, paused, position) = LeaseAnnotations.Read(
            lease.Metadata?.Annotations
        );
        var renewed = lease.Spec?.RenewTime is { } time
            ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
            : DateTimeOffset.MinValue;
        var record = new LeaseRecord(
            lease.Spec?.HolderIdentity ?? "",
            lease.Spec?.LeaseTransitions ?? 0,
            renewed,
            history,
            switchover,
            paused
        )
        {
            Position = position,
        };
        var version =
            lease.Metadata?.ResourceVersion
            ?? throw new FormatException("the API server returned a Lease without resourceVersion");
        return new VersionedLease(record, version);
    }
}
