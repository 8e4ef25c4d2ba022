using System.Globalization;
using System.Text.Json;
using MysqlLocal.Failover;
using MysqlLocal.State;

namespace MysqlLocal.Status;

/// <summary>Joins each pod's <c>pod.json</c> with its agent's <c>/status</c> (when it answers).</summary>
public sealed class StatusReader(SetStore store, HttpClient http)
{
    public async Task<IReadOnlyList<PodStatusRow>> ReadAsync(CancellationToken cancellationToken)
    {
        var desired = store.ReadDesired();
        var holder = desired.Failover ? LeaseHolder() : null;
        var rows = new List<PodStatusRow>();
        foreach (var ordinal in store.PodOrdinalsOnDisk())
        {
            var record = store.ReadPod(ordinal);
            var inSet = ordinal < desired.Replicas;
            if (record is null || (!inSet && record.Phase == "Terminated"))
            {
                continue; // A volume kept after scaling down, not a pod.
            }

            var agent =
                record.Phase == "Running"
                    ? await AgentAsync(record.Ports, cancellationToken).ConfigureAwait(false)
                    : null;
            rows.Add(
                new PodStatusRow
                {
                    Name = record.Name,
                    Ordinal = ordinal,
                    Generation = record.Generation,
                    Phase = record.Phase,
                    Ready = record.Ready,
                    ReadyReason = record.ReadyReason,
                    Role =
                        agent?.Role
                        ?? (
                            desired.Failover ? (holder == record.Name ? "primary" : null)
                            : ordinal == 0 ? "primary"
                            : "replica"
                        ),
                    ServerId = agent?.ServerId,
                    LagSeconds = agent?.LagSeconds,
                    Gtid = agent?.Gtid,
                    ReplicationSetup = agent?.ReplicationSetup?.State,
                    Term = agent?.Term,
                    Holder = agent?.Holder,
                    Frozen = PodFreezer.IsFrozen(store.Paths.Pod(ordinal)),
                    Isolated = desired.Failover && LeaseLinks.IsIsolated(store.Paths.Pod(ordinal)),
                    Host = "127.0.0.1",
                    Ports = record.Ports,
                    Containers = record.Containers,
                }
            );
        }

        return rows;
    }

    private string? LeaseHolder()
    {
        try
        {
            return LeaseFile.Read(store.Paths)?.Holder;
        }
        catch (LocalSetException)
        {
            return null;
        }
    }

    private async Task<AgentStatus?> AgentAsync(PodPorts ports, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var body = await http.GetStringAsync(
                    new Uri(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"http://127.0.0.1:{ports.Http}/status"
                        )
                    ),
                    timeout.Token
                )
                .ConfigureAwait(false);
            return JsonSerializer.Deserialize(body, SetJsonContext.Default.AgentStatus);
        }
        catch (Exception e)
            when (e is HttpRequestException or OperationCanceledException or JsonException
                && !cancellationToken.IsCancellationRequested
            )
        {
            return null;
        }
    }
}
