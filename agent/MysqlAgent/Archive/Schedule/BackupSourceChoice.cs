using System.Globalization;
using MysqlAgent.Clone;

namespace MysqlAgent.Archive.Schedule;

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
