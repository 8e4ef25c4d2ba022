namespace MysqlAgent.Common;

/// <summary>
/// Where, in the local set's shared Lease folder (its stand-in for the API server), an agent asks
/// for its own pod to be deleted: one file per pod, named after it, which the local kubelet reads
/// and removes. One source, compiled into mysql-agent and mysql-local (linked).
/// </summary>
internal static class PodDeletionRequests
{
    public const string FolderName = "pod-deletions";

    public static string Folder(string leaseFolder) => Path.Combine(leaseFolder, FolderName);

    public static string RequestPath(string leaseFolder, string pod) =>
        Path.Combine(Folder(leaseFolder), pod);
}
