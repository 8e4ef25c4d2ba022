using System.Net;
using k8s.Models;

namespace MysqlAgent.Election;

/// <summary>
/// Writes this pod's role into its label <c>mysql-agent.io/role</c> (primary, replica, errant) with
/// a merge patch, so that a <c>mysql-primary</c> Service can select the primary. Only a change is
/// written; a failed write is answered as an error line and tried again at the next change or step.
/// A new primary also takes the label off the pods that held the Lease before it
/// (<see cref="DemoteAsync"/>): a frozen or cut-off old primary cannot do it itself, and while it
/// keeps the label the Service sends part of the new connections to it.
/// </summary>
public sealed class PodRoleLabel : IDisposable
{
    public const string LabelKey = "mysql-agent.io/role";

    /// <summary>What a new primary writes on an old primary's pod until that pod's own agent writes its role.</summary>
    public const string Demoted = "demoted";

    // JSON Pointer of the label: '/' in the key is written "~1" (RFC 6901).
    private const string LabelPointer = "/metadata/labels/mysql-agent.io~1role";

    private readonly PodApi _api;
    private readonly string _pod;
    private string? _written;

    /// <param name="api">The pods API of this pod's namespace, owned (disposed) by the label.</param>
    /// <param name="pod">This pod's name.</param>
    public PodRoleLabel(PodApi api, string pod)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrEmpty(pod);
        _api = api;
        _pod = pod;
    }

    /// <summary>The pod's own service account.</summary>
    public static PodRoleLabel InCluster(
        string @namespace,
        string pod,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    ) => new(PodApi.InCluster(@namespace, callTimeout, timeProvider), pod);

    /// <summary>An API server at <paramref name="host"/> (tests).</summary>
    public static PodRoleLabel ForHost(
        Uri host,
        string @namespace,
        string pod,
        TimeSpan callTimeout,
        TimeProvider timeProvider
    ) => new(PodApi.ForHost(host, @namespace, callTimeout, timeProvider), pod);

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
        var (_, error) = await _api.PatchAsync(_pod, patch, cancellationToken)
            .ConfigureAwait(false);
        if (error is null)
        {
            _written = role;
        }

        return error;
    }

    /// <summary>
    /// Relabels <paramref name="pod"/> <see cref="Demoted"/> if it is still labelled primary, in one
    /// JSON patch whose first operation tests that, so a role its own agent wrote since (replica,
    /// errant) is left alone. Demoted is true when the label changed; a pod that is gone or not
    /// labelled primary is not an error.
    /// </summary>
    public async Task<(bool Demoted, string? Error)> DemoteAsync(
        string pod,
        CancellationToken cancellationToken
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(pod);
        var patch = new V1Patch(
            "[{\"op\":\"test\",\"path\":\""
                + LabelPointer
                + "\",\"value\":\""
                + Health.HealthRoles.Primary
                + "\"},{\"op\":\"replace\",\"path\":\""
                + LabelPointer
                + "\",\"value\":\""
                + Demoted
                + "\"}]",
            V1Patch.PatchType.JsonPatch
        );
        var (status, error) = await _api.PatchAsync(pod, patch, cancellationToken)
            .ConfigureAwait(false);
        return status switch
        {
            // Gone, or the test failed: not labelled primary (any more).
            HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity => (false, null),
            _ => (error is null, error),
        };
    }

    public void Dispose() => _api.Dispose();
}
