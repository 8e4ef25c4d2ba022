namespace MysqlAgent.Election;

/// <summary>
/// Deletes this pod through the API (<c>pods delete</c>, granted by the manifests' Role
/// mysql-agent-reclone). The kubelet then stops its containers gracefully and the StatefulSet creates it again.
/// </summary>
public sealed class KubernetesPodDeleter : IPodDeleter, IDisposable
{
    private readonly PodApi _api;
    private readonly string _pod;

    /// <param name="api">The pods API of this pod's namespace, owned (disposed) by the deleter.</param>
    /// <param name="pod">This pod's name.</param>
    public KubernetesPodDeleter(PodApi api, string pod)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrEmpty(pod);
        _api = api;
        _pod = pod;
    }

    public async Task<string?> DeleteOwnPodAsync(CancellationToken cancellationToken)
    {
        var (status, error) = await _api.DeleteAsync(_pod, cancellationToken).ConfigureAwait(false);
        return status == System.Net.HttpStatusCode.Forbidden
            ? error
                + " (the manifests' Role mysql-agent-reclone grants pods delete; or turn the re-clone off: --reclone-errant false, the keep-errant component)"
            : error;
    }

    public void Dispose() => _api.Dispose();
}
