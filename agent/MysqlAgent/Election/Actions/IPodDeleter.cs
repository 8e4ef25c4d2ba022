namespace MysqlAgent.Election;

/// <summary>
/// Deletes this agent's own pod, so that its StatefulSet creates it again and its init containers
/// run (a re-clone). The seam has a Kubernetes side (the API) and a local side (a request file the
/// local set's kubelet reads from the shared Lease folder).
/// </summary>
public interface IPodDeleter
{
    /// <summary>Asks for the deletion; null once asked, else one line saying why not (tried again later).</summary>
    Task<string?> DeleteOwnPodAsync(CancellationToken cancellationToken);
}
