using System.Globalization;
using MysqlLocal.Failover;
using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>freeze POD</c> / <c>thaw POD</c>: SIGSTOP and SIGCONT to every process of a pod, the way a
/// hung node looks to its peers: its connections stay open and nothing answers.
/// </summary>
public static class FreezeCommand
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
        if (ordinal >= desired.Replicas)
        {
            throw new LocalSetException(
                $"{pod} is not in the set of {desired.Replicas} pods (see 'status')"
            );
        }

        if (line.Command == "freeze")
        {
            var stopped = PodFreezer.Freeze(store, ordinal);
            await output
                .WriteLineAsync(
                    $"froze {pod}: SIGSTOP to {Ids(stopped)}; 'thaw {pod}' resumes them"
                )
                .ConfigureAwait(false);
        }
        else
        {
            var resumed = PodFreezer.Thaw(store, ordinal);
            await output
                .WriteLineAsync(
                    resumed.Count == 0
                        ? $"{pod} had no process to resume"
                        : $"thawed {pod}: SIGCONT to {Ids(resumed)}"
                )
                .ConfigureAwait(false);
        }

        return 0;
    }

    private static string Ids(IReadOnlyList<int> pids) =>
        (pids.Count == 1 ? "pid " : "pids ")
        + string.Join(", ", pids.Select(p => p.ToString(CultureInfo.InvariantCulture)));
}
