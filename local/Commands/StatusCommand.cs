using System.Globalization;
using System.Text.Json;
using MysqlLocal.Failover;
using MysqlLocal.Monitoring;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>status [--json]</c>: each pod's phase, readiness, role, lag, GTID, ports, container ids and
/// restarts; with failover also the Lease's holder and term and where the mysql-primary port goes;
/// with <c>monitor</c> the alerts of the set's Prometheus.
/// </summary>
public static class StatusCommand
{
    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var store = new SetStore(line.StatePaths());
        using var http = new HttpClient();
        var rows = await new StatusReader(store, http)
            .ReadAsync(cancellationToken)
            .ConfigureAwait(false);
        var desired = store.ReadDesired();
        var kubeletRuns = KubeletProcess.RunningPid(store.Paths) is not null;
        var failover = desired.Failover ? Failover(store.Paths, desired) : null;
        if (line.Has("json"))
        {
            var status = new SetStatus
            {
                SetId = desired.SetId,
                StateDir = store.Paths.StateDir,
                BasePort = desired.BasePort,
                KubeletRunning = kubeletRuns,
                PrimaryPort = PodPorts.PrimaryPort(desired.BasePort),
                ReadPort = PodPorts.ReadPort(desired.BasePort),
                Failover = failover,
                Pods = rows,
            };
            await output
                .WriteLineAsync(JsonSerializer.Serialize(status, SetJsonContext.Default.SetStatus))
                .ConfigureAwait(false);
            return 0;
        }

        await output.WriteAsync(StatusTable.Render(rows)).ConfigureAwait(false);
        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"set {(desired.SetId.Length > 0 ? desired.SetId : "(no id)")} in {store.Paths.StateDir}: base port {desired.BasePort}, pod N on base+10N+6 (mysql), +7 (backup), +8 (http)"
                )
            )
            .ConfigureAwait(false);
        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"services: mysql-primary 127.0.0.1:{PodPorts.PrimaryPort(desired.BasePort)} (base+5, writes: {(desired.Failover ? "the Lease holder" : "mysql-0, the fixed primary")}), mysql-read 127.0.0.1:{PodPorts.ReadPort(desired.BasePort)} (base+3, reads: the ready pods in turn)"
                )
            )
            .ConfigureAwait(false);
        if (failover is not null)
        {
            var lease = failover.Term is { } term
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"term {term}, holder {(failover.Holder is { Length: > 0 } h ? h : "(none)")}{(failover.Paused ? ", failover paused" : "")}"
                )
                : "no Lease yet";
            await output
                .WriteLineAsync(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"failover: {lease}; mysql-primary 127.0.0.1:{failover.PrimaryPort} (base+5): {failover.Route}"
                    )
                )
                .ConfigureAwait(false);
        }

        foreach (
            var (what, pods) in new[]
            {
                ("frozen ('thaw POD' resumes it)", rows.Where(r => r.Frozen)),
                ("isolated from the Lease store ('heal POD' ends it)", rows.Where(r => r.Isolated)),
            }
        )
        {
            var names = pods.Select(r => r.Name).ToList();
            if (names.Count > 0)
            {
                await output
                    .WriteLineAsync($"{what}: {string.Join(", ", names)}")
                    .ConfigureAwait(false);
            }
        }

        await AlertsAsync(store.Paths, desired.BasePort, http, output, cancellationToken)
            .ConfigureAwait(false);
        if (!kubeletRuns)
        {
            await output
                .WriteLineAsync(
                    $"the kubelet is not running: 'up' starts the set again from {store.Paths.StateDir}"
                )
                .ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>With <c>monitor</c>: the alerts of the set's Prometheus, firing ones first.</summary>
    private static async Task AlertsAsync(
        SetPaths paths,
        int basePort,
        HttpClient http,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        if (PrometheusProcess.RunningPid(paths) is null)
        {
            return;
        }

        var port = PodPorts.MonitorPort(basePort);
        IReadOnlyList<PrometheusAlert> alerts;
        try
        {
            alerts = await PrometheusAlerts
                .ReadAsync(http, port, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (e
                    is HttpRequestException
                        or TaskCanceledException
                        or System.Text.Json.JsonException
                        or KeyNotFoundException
            )
        {
            await output
                .WriteLineAsync(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"alerts: prometheus on 127.0.0.1:{port} does not answer ({e.Message})"
                    )
                )
                .ConfigureAwait(false);
            return;
        }

        var firing = alerts.Count(a => a.Firing);
        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"alerts (prometheus http://127.0.0.1:{port}): {(firing == 0 ? "none firing" : $"{firing} firing")}{(alerts.Count > firing ? $", {alerts.Count - firing} pending" : "")}"
                )
            )
            .ConfigureAwait(false);
        foreach (var alert in alerts)
        {
            await output
                .WriteLineAsync(
                    $"  {alert.State, -7} {alert.Name} {alert.Severity}{(alert.Pod is { } pod ? " " + pod : "")}: {alert.Summary}"
                )
                .ConfigureAwait(false);
        }
    }

    private static FailoverStatus Failover(SetPaths paths, DesiredState desired)
    {
        LeaseFile? lease;
        try
        {
            lease = LeaseFile.Read(paths);
        }
        catch (LocalSetException)
        {
            lease = null; // The route says why.
        }

        return new FailoverStatus
        {
            PrimaryPort = PodPorts.PrimaryPort(desired.BasePort),
            Holder = lease?.Holder,
            Term = lease?.Term,
            Paused = lease?.Paused == true,
            Route = PrimaryRoute
                .Read(
                    paths,
                    desired.BasePort,
                    PrimaryRoute.RenewDeadline(desired.AgentArguments),
                    TimeProvider.System
                )
                .Text,
        };
    }
}
