using System.Globalization;
using MysqlLocal.Monitoring;
using MysqlLocal.Ports;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlLocal.Commands;

/// <summary><c>scale N</c>: new pods are created in order and clone from their predecessor; removed ones keep their data.</summary>
public static class ScaleCommand
{
    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        if (
            line.Positional is not [var text]
            || !int.TryParse(
                text,
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var replicas
            )
            || replicas < 1
            || replicas > PodPorts.MaxOrdinals
        )
        {
            throw new UsageException(
                $"scale needs one number of pods from 1 to {PodPorts.MaxOrdinals}, for example 'scale 5'"
            );
        }

        var store = new SetStore(line.StatePaths());
        RequireKubelet(store.Paths);
        // Before the kubelet sees the new count: a port someone else holds stops here, at once.
        var desired = store.ReadDesired();
        PortCheck.EnsureFree(store.Paths, desired.BasePort, replicas);
        store.UpdateDesired(d => d with { Replicas = replicas });
        if (PrometheusProcess.RunningPid(store.Paths) is not null)
        {
            MonitorCommand.RefreshTargets(store.Paths, store.ReadDesired());
        }

        await output
            .WriteLineAsync(
                string.Create(CultureInfo.InvariantCulture, $"scaling to {replicas} pods")
            )
            .ConfigureAwait(false);
        if (line.Has("no-wait"))
        {
            return 0;
        }

        var rows = await SetWaiter
            .UntilReadyAsync(store, line.Timeout(), time, output, cancellationToken)
            .ConfigureAwait(false);
        await output.WriteAsync(StatusTable.Render(rows)).ConfigureAwait(false);
        return 0;
    }

    public static void RequireKubelet(SetPaths paths)
    {
        if (KubeletProcess.RunningPid(paths) is null)
        {
            throw new LocalSetException(
                $"the set in {paths.StateDir} is not running: run 'up' first"
            );
        }
    }
}
