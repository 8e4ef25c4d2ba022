using System.Globalization;
using MysqlLocal.Kubelet;
using MysqlLocal.State;

namespace MysqlLocal.Failover;

/// <summary>
/// <c>freeze POD</c> / <c>thaw POD</c>: SIGSTOP and SIGCONT to every process of the pod (each
/// running container and every process below it, such as a backup tool the agent started), the
/// way a hung node or a long pause of a VM looks to its peers. The stopped ids are kept in
/// <see cref="PodPaths.FrozenFile"/> so that <c>thaw</c>, <c>delete-pod</c> and <c>down</c> resume
/// exactly those, even after the kubelet lost track of them.
/// </summary>
public static class PodFreezer
{
    /// <summary>Stops every process of the pod; returns their ids.</summary>
    /// <exception cref="LocalSetException">The pod runs no process.</exception>
    public static IReadOnlyList<int> Freeze(SetStore store, int ordinal)
    {
        var pod = store.Paths.Pod(ordinal);
        var roots = (store.ReadPod(ordinal)?.Containers ?? [])
            .Where(c => c.Pid is not null)
            .Select(c => c.Pid!.Value)
            .Where(pid => Signals.IsRunning(pid, store.Paths.StateDir + "/"))
            .ToList();
        if (roots.Count == 0)
        {
            throw new LocalSetException($"{pod.Name} runs no process to freeze (see 'status')");
        }

        // From the top down, so that no parent sees a child stop before it stops itself.
        var pids = Signals.WithDescendants(roots);
        var stopped = pids.Where(Signals.Stop).ToList();
        var known = Frozen(pod).Concat(stopped).Distinct().ToList();
        File.WriteAllLines(
            pod.FrozenFile,
            known.Select(p => p.ToString(CultureInfo.InvariantCulture))
        );
        return stopped;
    }

    /// <summary>Resumes the processes <c>freeze</c> stopped, and anything of the pod still stopped; returns their ids.</summary>
    public static IReadOnlyList<int> Thaw(SetStore store, int ordinal)
    {
        var pod = store.Paths.Pod(ordinal);
        var roots = (store.ReadPod(ordinal)?.Containers ?? [])
            .Where(c => c.Pid is not null)
            .Select(c => c.Pid!.Value)
            .Where(pid => Signals.IsRunning(pid, store.Paths.StateDir + "/"));
        // A recorded id is resumed only while it is stopped: a reused id of another program is left alone.
        var pids = Signals
            .WithDescendants(roots)
            .Concat(Frozen(pod).Where(Signals.IsStopped))
            .Distinct()
            .ToList();
        var resumed = pids.Where(Signals.Continue).ToList();
        if (File.Exists(pod.FrozenFile))
        {
            File.Delete(pod.FrozenFile);
        }

        return resumed;
    }

    public static bool IsFrozen(PodPaths pod) => File.Exists(pod.FrozenFile);

    /// <summary>Thaws every frozen pod of the set: before it is stopped, so SIGTERM is heard at once.</summary>
    public static void ThawAll(SetStore store)
    {
        foreach (var ordinal in store.PodOrdinalsOnDisk())
        {
            if (IsFrozen(store.Paths.Pod(ordinal)))
            {
                Thaw(store, ordinal);
            }
        }
    }

    private static List<int> Frozen(PodPaths pod)
    {
        if (!File.Exists(pod.FrozenFile))
        {
            return [];
        }

        return File.ReadAllLines(pod.FrozenFile)
            .Select(line =>
                int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    ? pid
                    : 0
            )
            .Where(pid => pid > 0)
            .ToList();
    }
}
