using System.Runtime.InteropServices;
using MysqlLocal.State;

namespace MysqlLocal.Failover;

/// <summary>
/// Each pod's agent reaches the shared Lease folder through a link of its own
/// (<see cref="PodPaths.LeaseLink"/>), as each node of a cluster reaches the API server through its
/// own network. <c>isolate</c> cuts that way by pointing the link at a link to itself: every Lease
/// call of that agent then fails with ELOOP, which its FileLeaseStore answers as "unavailable", as a
/// partitioned node's client sees a timeout; never "not found", which would let it create a Lease.
/// (A link to a plain file would not do: .NET reports ENOTDIR as a missing directory, "not found".)
/// Each change is one rename over the link, so the agent never sees a half-made one.
/// </summary>
public static partial class LeaseLinks
{
    /// <summary>Makes the shared folder and the pod's link to it, unless the link exists (an isolated pod stays isolated).</summary>
    public static void EnsureLinked(SetPaths set, PodPaths pod)
    {
        Directory.CreateDirectory(set.LeaseDir);
        Directory.CreateDirectory(pod.Root);
        if (new FileInfo(pod.LeaseLink).LinkTarget is null && !Path.Exists(pod.LeaseLink))
        {
            Point(pod, set.LeaseDir);
        }
    }

    public static bool IsIsolated(PodPaths pod) =>
        new FileInfo(pod.LeaseLink).LinkTarget is { } target
        && string.Equals(target, pod.CutOff, StringComparison.Ordinal);

    /// <summary>Cuts the pod's agent off from the Lease store.</summary>
    public static void Isolate(PodPaths pod)
    {
        if (new FileInfo(pod.CutOff).LinkTarget != pod.CutOff)
        {
            if (File.Exists(pod.CutOff) || new FileInfo(pod.CutOff).LinkTarget is not null)
            {
                File.Delete(pod.CutOff);
            }

            File.CreateSymbolicLink(pod.CutOff, pod.CutOff);
        }

        Point(pod, pod.CutOff);
    }

    /// <summary>Gives the pod's agent its way to the Lease store back.</summary>
    public static void Heal(SetPaths set, PodPaths pod)
    {
        Directory.CreateDirectory(set.LeaseDir);
        Point(pod, set.LeaseDir);
    }

    /// <exception cref="LocalSetException">The link cannot be replaced.</exception>
    private static void Point(PodPaths pod, string target)
    {
        var staging = pod.LeaseLink + ".new";
        try
        {
            if (new FileInfo(staging).LinkTarget is not null || File.Exists(staging))
            {
                File.Delete(staging);
            }

            File.CreateSymbolicLink(staging, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LocalSetException($"cannot make the link {staging}: {e.Message}");
        }

        // rename(2) replaces the link itself, atomically; File.Move's checks would follow it.
        if (Rename(staging, pod.LeaseLink) != 0)
        {
            throw new LocalSetException(
                $"cannot point {pod.LeaseLink} at {target}: {Marshal.GetLastPInvokeErrorMessage()}"
            );
        }
    }

    [LibraryImport(
        "libc",
        EntryPoint = "rename",
        StringMarshalling = StringMarshalling.Utf8,
        SetLastError = true
    )]
    private static partial int Rename(string from, string to);
}
