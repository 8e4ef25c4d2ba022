using System.Globalization;
using MysqlAgent.Clone;

namespace MysqlAgent.Archive.Schedule;

/// <summary>Whether a backup runs somewhere in the set when a tick comes.</summary>
public enum BusyVerdict
{
    /// <summary>No pod runs a backup to storage: the tick may start.</summary>
    Free,

    /// <summary>A pod runs this very tick: it is taken.</summary>
    Running,

    /// <summary>A pod still runs an older tick: this one is missed.</summary>
    Older,
}

/// <summary>One pod a scheduled backup may be taken from, and why it is in that place of the order.</summary>
public sealed record BackupSource(int Ordinal, bool IsSelf, string Why);

/// <summary>
/// Where a scheduled backup is taken: the ready replicas first, least lag first (unknown lag after
/// known, ties to the lower ordinal), so the backup's reads do not load the primary; the primary
/// itself last. A peer that did not answer, is not ready, says it is the primary (only the deciding
/// pod is), or is already writing a backup to storage is never asked. Pure: the peers' /status in,
/// the order in which to ask them out.
/// </summary>
public static class BackupSourceChoice
{
    /// <summary>
    /// Whether <paramref name="tick"/> may start: not while a pod (this one first) runs it, and not
    /// while one runs an older tick, since two backups at once only slow each other.
    /// </summary>
    public static (BusyVerdict Verdict, string Why) Busy(
        string tick,
        string selfPod,
        BackupRunningDocument? selfRun,
        IEnumerable<(string Pod, PeerStatus? Status)> peers
    )
    {
        ArgumentNullException.ThrowIfNull(peers);
        var running = new List<(string Pod, BackupRunningDocument Run)>();
        if (selfRun is not null)
        {
            running.Add((selfPod, selfRun));
        }

        foreach (var (pod, status) in peers)
        {
            if (status?.Backup?.Running is { } run)
            {
                running.Add((pod, run));
            }
        }

        if (running.FirstOrDefault(r => r.Run.Tick == tick) is { Pod: { } holder })
        {
            return (BusyVerdict.Running, $"it runs on {holder}");
        }

        if (running.Count > 0)
        {
            var (pod, run) = running[0];
            return (
                BusyVerdict.Older,
                $"backup {run.Id} of tick {run.Tick ?? "none"} still runs on {pod}: the backups take longer than the schedule's period"
            );
        }

        return (BusyVerdict.Free, "");
    }

    public static IReadOnlyList<BackupSource> Order(int selfOrdinal, IEnumerable<PeerReport> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var replicas = peers
            .Where(p =>
                p.Ordinal != selfOrdinal
                && p.Status is { Ready: true } status
                && string.Equals(
                    status.Role,
                    PeerStatus.ReplicaRole,
                    StringComparison.OrdinalIgnoreCase
                )
                && status.Backup?.Running is null
            )
            .OrderBy(p => p.Status!.LagSeconds ?? double.MaxValue)
            .ThenBy(p => p.Ordinal)
            .Select(p => new BackupSource(
                p.Ordinal,
                false,
                p.Status!.LagSeconds is { } lag
                    ? string.Create(CultureInfo.InvariantCulture, $"ready replica, lag {lag:0.#} s")
                    : "ready replica, lag unknown"
            ));
        return
        [
            .. replicas,
            new BackupSource(selfOrdinal, true, "the primary itself: no ready replica took it"),
        ];
    }
}
