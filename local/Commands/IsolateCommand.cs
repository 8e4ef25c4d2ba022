using MysqlLocal.Failover;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>isolate POD</c> / <c>heal POD</c>: cut a pod's agent off from the Lease store, and give it
/// back, as a network partition between a node and the API server would. Its mysqld and its
/// agent's HTTP port stay reachable: peers and clients still see it (a partial partition).
/// </summary>
public static class IsolateCommand
{
    private static readonly PodFault Fault = new(
        "isolate",
        NeedsFailover: true,
        Apply: (store, ordinal, pod) =>
        {
            var paths = store.Paths.Pod(ordinal);
            LeaseLinks.Isolate(paths);
            return $"isolated {pod}: its agent's Lease calls fail ({paths.LeaseLink} points at a link to itself); 'heal {pod}' restores them";
        },
        Undo: (store, ordinal, pod) =>
        {
            LeaseLinks.Heal(store.Paths, store.Paths.Pod(ordinal));
            return $"healed {pod}: its agent reaches the Lease store again";
        }
    );

    public static Task<int> RunAsync(LocalCommandLine line, TextWriter output) =>
        PodFaultCommand.RunAsync(line, output, Fault);
}
