using MysqlLocal.Failover;
using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>isolate POD</c> / <c>heal POD</c>: cut a pod's agent off from the Lease store, and give it
/// back, as a network partition between a node and the API server would. Its mysqld and its
/// agent's HTTP port stay reachable: peers and clients still see it (a partial partition).
/// </summary>
public static class IsolateCommand
{
    public static async Task<int> RunAsync(LocalCommandLine line, TextWriter output)
    {
        if (line.Positional is not [var pod])
        {
            throw new UsageException(
                $"{line.Command} needs one pod name, for example '{line.Command} mysql-0'"
            );
        }

        var ordinal = DeletePodCommand.OrdinalOf(pod);
        var store = new SetStore(line.StatePaths());
        var desired = store.ReadDesired();
        if (!desired.Failover)
        {
            throw new LocalSetException(
                $"the set in {store.Paths.StateDir} runs without failover, so it has no Lease store to cut {pod} off from: make it with 'up --failover'"
            );
        }

        if (ordinal >= desired.Replicas)
        {
            throw new LocalSetException(
                $"{pod} is not in the set of {desired.Replicas} pods (see 'status')"
            );
        }

        var paths = store.Paths.Pod(ordinal);
        if (line.Command == "isolate")
        {
            LeaseLinks.Isolate(paths);
            await output
                .WriteLineAsync(
                    $"isolated {pod}: its agent's Lease calls fail ({paths.LeaseLink} points at a link to itself); 'heal {pod}' restores them"
                )
                .ConfigureAwait(false);
        }
        else
        {
            LeaseLinks.Heal(store.Paths, paths);
            await output
                .WriteLineAsync($"healed {pod}: its agent reaches the Lease store again")
                .ConfigureAwait(false);
        }

        return 0;
    }
}
