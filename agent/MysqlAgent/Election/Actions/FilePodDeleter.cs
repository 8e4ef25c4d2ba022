using System.Text;
using MysqlAgent.Common;

namespace MysqlAgent.Election;

/// <summary>
/// The local set's pod deletion: a request file (<see cref="PodDeletionRequests"/>) in the file
/// Lease store's folder, which its kubelet reads, as if <c>mysql-local delete-pod</c> had been run.
/// </summary>
public sealed class FilePodDeleter(string leaseFolder, string pod, TimeProvider time) : IPodDeleter
{
    public Task<string?> DeleteOwnPodAsync(CancellationToken cancellationToken)
    {
        var path = PodDeletionRequests.RequestPath(leaseFolder, pod);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(
                path,
                Encoding.UTF8.GetBytes($"requested by {pod}'s agent at {time.GetUtcNow():O}\n")
            );
            return Task.FromResult<string?>(null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult<string?>($"write {path}: {e.Message}");
        }
    }
}
