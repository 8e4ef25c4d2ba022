using System.Globalization;
using MysqlAgent.Common;
using MysqlLocal.Failover;
using MysqlLocal.Services;
using MysqlLocal.State;

namespace MysqlLocal.Kubelet;

/// <summary>
/// The supervisor of a local set: the StatefulSet controller and the kubelet in one small loop.
/// Twice a second it reads set.json and makes the pods match it, in the StatefulSet's order
/// (<c>podManagementPolicy: OrderedReady</c>): pod N is created only when pods 0..N-1 are ready;
/// scaling down removes the highest ordinal first, one at a time; a pod whose generation went up
/// (deleted) is stopped and created again, init containers included, on the same volume. It also
/// serves the set's two Services: mysql-primary (<see cref="PrimaryForwarder"/>) and mysql-read
/// (<see cref="ReadForwarder"/>, over the pods its probes find ready).
/// </summary>
public sealed class Kubelet(SetStore store, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    private readonly SortedDictionary<int, PodRunner> _pods = [];
    private readonly HttpClient _http = new();
    private readonly Lock _logLock = new();
    private StreamWriter? _log;
    private PrimaryForwarder? _primary;
    private ReadForwarder? _read;
    private string? _serviceError;

    // The pods as of the loop's last round; each one's readiness is read live, so that mysql-read
    // sends to a pod from the moment its probe passes, as its record (and 'up') already says.
    private volatile IReadOnlyList<PodRunner> _podRunners = [];

    public async Task RunAsync(CancellationToken stop)
    {
        Directory.CreateDirectory(store.Paths.StateDir);
        _log = new StreamWriter(
            new FileStream(
                store.Paths.KubeletLog,
                FileMode.Append,
                FileAccess.Write,
                FileShare.ReadWrite
            )
        )
        {
            AutoFlush = true,
        };
        Log(
            string.Create(
                CultureInfo.InvariantCulture,
                $"kubelet started (pid {Environment.ProcessId}) for {store.Paths.StateDir}"
            )
        );
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            do
            {
                DesiredState desired;
                try
                {
                    desired = store.ReadDesired();
                }
                catch (LocalSetException e)
                {
                    Log("cannot read the set: " + e.Message);
                    continue;
                }

                if (desired.Stopping)
                {
                    break;
                }

                StartServicePorts(desired);
                desired = DeleteRequestedPods(desired);
                await ReconcileAsync(desired).ConfigureAwait(false);
                _podRunners = [.. _pods.Values];
            } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Log("signal received");
        }

        await StopAllAsync().ConfigureAwait(false);
        await StopServicePortsAsync().ConfigureAwait(false);
        Log("kubelet stopped: every pod terminated");
    }

    /// <summary>The mysql-primary and mysql-read ports, from the first round on; each retried while it cannot listen.</summary>
    private void StartServicePorts(DesiredState desired)
    {
        try
        {
            _primary ??= desired.Failover
                ? PrimaryForwarder.Start(
                    store.Paths,
                    desired.BasePort,
                    PrimaryRoute.RenewDeadline(desired.AgentArguments),
                    TimeProvider.System,
                    Log
                )
                : PrimaryForwarder.StartToMysql0(desired.BasePort, TimeProvider.System, Log);
            var basePort = desired.BasePort;
            _read ??= ReadForwarder.Start(
                PodPorts.ReadPort(basePort),
                () =>
                    _podRunners
                        .Where(p => p.Ready)
                        .Select(p => new ReadEndpoint(
                            p.Name,
                            PodPorts.For(basePort, p.Ordinal).Mysql
                        ))
                        .ToList(),
                Log
            );
        }
        catch (System.Net.Sockets.SocketException e)
        {
            var error = string.Create(
                CultureInfo.InvariantCulture,
                $"{(_primary is null ? $"mysql-primary: cannot listen on 127.0.0.1:{PodPorts.PrimaryPort(desired.BasePort)}" : $"mysql-read: cannot listen on 127.0.0.1:{PodPorts.ReadPort(desired.BasePort)}")}: {e.Message}"
            );
            if (error != _serviceError)
            {
                Log(error);
                _serviceError = error;
            }
        }
    }

    private async Task StopServicePortsAsync()
    {
        if (_primary is not null)
        {
            await _primary.DisposeAsync().ConfigureAwait(false);
            _primary = null;
        }

        if (_read is not null)
        {
            await _read.DisposeAsync().ConfigureAwait(false);
            _read = null;
        }
    }

    /// <summary>
    /// With failover: the pods whose agent asked to be deleted (<c>--reclone-errant</c>, through
    /// <see cref="PodDeletionRequests"/> in the shared Lease folder,
    /// the API server of this set) are deleted as by <c>delete-pod</c>; each request file is removed.
    /// </summary>
    private DesiredState DeleteRequestedPods(DesiredState desired)
    {
        var folder = PodDeletionRequests.Folder(store.Paths.LeaseDir);
        if (!desired.Failover || !Directory.Exists(folder))
        {
            return desired;
        }

        foreach (var request in Directory.EnumerateFiles(folder).ToList())
        {
            var pod = Path.GetFileName(request);
            if (pod.StartsWith(AtomicFile.TempPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                if (!Enumerable.Range(0, desired.Replicas).Any(o => SetPaths.PodName(o) == pod))
                {
                    Log($"ignoring a deletion request for {pod}: not a pod of this set");
                    File.Delete(request);
                    continue;
                }

                desired = store.UpdateDesired(d => d.WithPodDeleted(pod));
                Log($"deleting {pod}: its agent asked for it ({File.ReadAllText(request).Trim()})");
                File.Delete(request);
            }
            catch (Exception e) when (e is IOException or LocalSetException)
            {
                Log($"cannot delete {pod} as its agent asked: {e.Message}");
            }
        }

        return desired;
    }

    private async Task ReconcileAsync(DesiredState desired)
    {
        // Deleted pods: stop them; the loop below creates them again.
        foreach (
            var pod in _pods
                .Values.Where(p => p.Generation != desired.GenerationOf(p.Name))
                .ToList()
        )
        {
            await pod.DisposeAsync().ConfigureAwait(false);
            _pods.Remove(pod.Ordinal);
        }

        // Scale down: the highest ordinal first, one per round.
        if (
            _pods.Keys.Where(o => o >= desired.Replicas).DefaultIfEmpty(-1).Max()
            is var highest
                and >= 0
        )
        {
            Log($"scaling down to {desired.Replicas}: deleting {SetPaths.PodName(highest)}");
            await _pods[highest].DisposeAsync().ConfigureAwait(false);
            _pods.Remove(highest);
            return;
        }

        // Create the lowest missing pod once every pod below it is ready.
        for (var ordinal = 0; ordinal < desired.Replicas; ordinal++)
        {
            if (_pods.TryGetValue(ordinal, out var pod))
            {
                if (!pod.Ready)
                {
                    return;
                }

                continue;
            }

            var created = new PodRunner(store, desired, ordinal, time, _http, Log);
            _pods[ordinal] = created;
            created.Start();
            return;
        }
    }

    private async Task StopAllAsync()
    {
        // In reverse order, like a StatefulSet scaled to zero; all at once would also be safe.
        foreach (var pod in _pods.Values.Reverse().ToList())
        {
            await pod.DisposeAsync().ConfigureAwait(false);
        }

        _pods.Clear();
    }

    private void Log(string message)
    {
        lock (_logLock)
        {
            _log?.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {message}"
                )
            );
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync().ConfigureAwait(false);
        await StopServicePortsAsync().ConfigureAwait(false);
        _http.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync().ConfigureAwait(false);
        }
    }
}
