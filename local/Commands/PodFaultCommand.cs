using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// A fault that one command verb puts on a pod and another takes off (<c>freeze</c>/<c>thaw</c>,
/// <c>isolate</c>/<c>heal</c>): each action gets the set's store, the pod's ordinal and name, and
/// returns the line to print.
/// </summary>
/// <param name="ApplyVerb">The verb that applies the fault; the other verb of the pair undoes it.</param>
/// <param name="NeedsFailover">Only a set made with failover (the default; not <c>up --fixed-primary</c>) has what the fault cuts.</param>
public sealed record PodFault(
    string ApplyVerb,
    bool NeedsFailover,
    Func<SetStore, int, string, string> Apply,
    Func<SetStore, int, string, string> Undo
);

/// <summary>The command shape the pod faults share: one pod name, checked against the set, then the action of the verb.</summary>
public static class PodFaultCommand
{
    public static async Task<int> RunAsync(LocalCommandLine line, TextWriter output, PodFault fault)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fault);
        if (line.Positional is not [var pod])
        {
            throw new UsageException(
                $"{line.Command} needs one pod name, for example '{line.Command} mysql-0'"
            );
        }

        var ordinal = DeletePodCommand.OrdinalOf(pod);
        var store = new SetStore(line.StatePaths());
        var desired = store.ReadDesired();
        if (fault.NeedsFailover && !desired.Failover)
        {
            throw new LocalSetException(
                $"the set in {store.Paths.StateDir} was made with a fixed primary, so it has no Lease store to cut {pod} off from (failover is the default of a new set: 'down', then 'up')"
            );
        }

        if (ordinal >= desired.Replicas)
        {
            throw new LocalSetException(
                $"{pod} is not in the set of {desired.Replicas} pods (see 'status')"
            );
        }

        var action = line.Command == fault.ApplyVerb ? fault.Apply : fault.Undo;
        await output.WriteLineAsync(action(store, ordinal, pod)).ConfigureAwait(false);
        return 0;
    }
}
