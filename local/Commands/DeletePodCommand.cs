using MysqlAgent.Identity;
using MysqlLocal.Failover;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>delete-pod POD</c>: like <c>kubectl delete pod</c>, the pod's containers get SIGTERM and the
/// pod is created again, init containers first, on the same data volume. Waits until it is ready.
/// </summary>
public static class DeletePodCommand
{
    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        if (line.Positional is not [var pod])
        {
            throw new UsageException(
                "delete-pod needs one pod name, for example 'delete-pod mysql-1'"
            );
        }

        var ordinal = OrdinalOf(pod);
        var store = new SetStore(line.StatePaths());
        ScaleCommand.RequireKubelet(store.Paths);
        var generation = 0;
        store.UpdateDesired(d =>
        {
            if (ordinal >= d.Replicas)
            {
                throw new LocalSetException(
                    $"{pod} is not in the set of {d.Replicas} pods (see 'status')"
                );
            }

            var deleted = d.WithPodDeleted(pod);
            generation = deleted.GenerationOf(pod);
            return deleted;
        });
        // A frozen pod would hear SIGTERM only after the grace period's SIGKILL.
        if (PodFreezer.IsFrozen(store.Paths.Pod(ordinal)))
        {
            PodFreezer.Thaw(store, ordinal);
        }

        await output
            .WriteLineAsync($"deleted {pod}: the kubelet creates it again")
            .ConfigureAwait(false);
        if (line.Has("no-wait"))
        {
            return 0;
        }

        var rows = await SetWaiter
            .UntilReadyAsync(
                store,
                line.Timeout(),
                time,
                output,
                cancellationToken,
                (pod, generation)
            )
            .ConfigureAwait(false);
        await output.WriteAsync(StatusTable.Render(rows)).ConfigureAwait(false);
        return 0;
    }

    public static int OrdinalOf(string pod) =>
        PodIdentity.TryParse(pod, out var identity, out _)
        && identity.StatefulSetName == SetPaths.StatefulSetName
        && identity.PodName == pod
            ? identity.Ordinal
            : throw new UsageException(
                $"'{pod}' is not a pod of this set: pods are named {SetPaths.StatefulSetName}-<n>, such as {SetPaths.PodName(1)} (see 'status')"
            );
}
