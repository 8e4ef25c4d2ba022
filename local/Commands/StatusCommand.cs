using System.Globalization;
using System.Text.Json;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlLocal.Commands;

/// <summary><c>status [--json]</c>: each pod's phase, readiness, role, lag, GTID, ports, container ids and restarts.</summary>
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
        if (line.Has("json"))
        {
            await output
                .WriteLineAsync(
                    JsonSerializer.Serialize(rows.ToList(), SetJsonContext.Default.ListPodStatusRow)
                )
                .ConfigureAwait(false);
            return 0;
        }

        await output.WriteAsync(StatusTable.Render(rows)).ConfigureAwait(false);
        var desired = store.ReadDesired();
        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"set {(desired.SetId.Length > 0 ? desired.SetId : "(no id)")} in {store.Paths.StateDir}: base port {desired.BasePort}, pod N on base+10N+6 (mysql), +7 (backup), +8 (http)"
                )
            )
            .ConfigureAwait(false);
        if (KubeletProcess.RunningPid(store.Paths) is null)
        {
            await output
                .WriteLineAsync(
                    $"the kubelet is not running: 'up' starts the set again from {store.Paths.StateDir}"
                )
                .ConfigureAwait(false);
        }

        return 0;
    }
}
