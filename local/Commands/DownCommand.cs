using System.Globalization;
using MysqlLocal.Failover;
using MysqlLocal.Kubelet;
using MysqlLocal.Monitoring;
using MysqlLocal.State;
using MysqlLocal.Waiting;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>down [--keep-data]</c>: the kubelet stops every pod (SIGTERM, then SIGKILL), then any process
/// of the set still alive is killed by its id: the ones pod.json recorded, and any whose command
/// line names the set's folder (a child orphaned by a killed kubelet). An id is only hit while its
/// command line still names the folder, so a reused id is never killed. Then the folder is
/// deleted, unless --keep-data keeps it for the next 'up'. The set's Prometheus (monitor) stops first.
/// </summary>
public static class DownCommand
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var paths = line.StatePaths();
        var store = new SetStore(paths);
        if (!Directory.Exists(paths.StateDir))
        {
            await output
                .WriteLineAsync($"nothing to stop: {paths.StateDir} does not exist")
                .ConfigureAwait(false);
            return 0;
        }

        // First, so that it records no alert about pods that are only being stopped.
        if (await PrometheusProcess.StopAsync(paths, time, cancellationToken).ConfigureAwait(false))
        {
            await output.WriteLineAsync("stopped the set's prometheus").ConfigureAwait(false);
        }

        // A frozen pod would hear SIGTERM only after the grace period's SIGKILL.
        PodFreezer.ThawAll(store);
        if (KubeletProcess.RunningPid(paths) is { } kubelet)
        {
            if (store.Exists)
            {
                store.UpdateDesired(d => d with { Stopping = true });
            }

            Signals.Terminate(kubelet);
            await output
                .WriteLineAsync(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"stopping the kubelet (pid {kubelet}) and its pods"
                    )
                )
                .ConfigureAwait(false);
            await new Waiter(time)
                .UntilAsync(
                    () => !Signals.IsRunning(kubelet, KubeletProcess.CommandName),
                    TimeSpan.FromMilliseconds(200),
                    StopTimeout,
                    cancellationToken
                )
                .ConfigureAwait(false);

            if (Signals.KillIfRunning(kubelet, KubeletProcess.CommandName))
            {
                await output
                    .WriteLineAsync(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"the kubelet did not stop in {StopTimeout.TotalSeconds:0} s: killed it"
                        )
                    )
                    .ConfigureAwait(false);
            }
        }

        foreach (var (pid, what) in Leftovers(store))
        {
            if (Signals.KillIfRunning(pid, paths.StateDir + "/"))
            {
                await output
                    .WriteLineAsync(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"killed leftover process {pid} ({what})"
                        )
                    )
                    .ConfigureAwait(false);
            }
        }

        if (line.Has("keep-data"))
        {
            await output
                .WriteLineAsync($"stopped; the data stays in {paths.StateDir} for the next 'up'")
                .ConfigureAwait(false);
            return 0;
        }

        Directory.Delete(paths.StateDir, recursive: true);
        await output.WriteLineAsync($"stopped and deleted {paths.StateDir}").ConfigureAwait(false);
        return 0;
    }

    private static IEnumerable<(int Pid, string What)> Leftovers(SetStore store)
    {
        foreach (var ordinal in store.PodOrdinalsOnDisk())
        {
            foreach (var container in store.ReadPod(ordinal)?.Containers ?? [])
            {
                if (container.Pid is { } pid)
                {
                    yield return (pid, store.Paths.Pod(ordinal).Name + "/" + container.Name);
                }
            }
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (
                int.TryParse(
                    Path.GetFileName(dir),
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var pid
                )
                && pid != Environment.ProcessId
                && Signals.CommandLine(pid) is { } commandLine
                && commandLine.Contains(store.Paths.StateDir + "/", StringComparison.Ordinal)
            )
            {
                yield return (pid, commandLine.Length > 80 ? commandLine[..80] + "…" : commandLine);
            }
        }
    }
}
