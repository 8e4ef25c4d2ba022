using MysqlLocal.Status;

namespace MysqlLocal.Commands;

/// <summary>Which pod a backup is taken from: the ready replica with the least lag, else the ready primary.</summary>
public static class BackupSource
{
    public const string PrimaryRole = "primary";

    /// <summary>The chosen pod's ordinal; null when no pod is ready.</summary>
    public static int? Choose(IEnumerable<PodStatusRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ready = rows.Where(r => r.Ready && !r.Frozen).ToList();
        var replica = ready
            .Where(r => r.Role != PrimaryRole && r.LagSeconds is not null)
            .OrderBy(r => r.LagSeconds)
            .ThenBy(r => r.Ordinal)
            .FirstOrDefault();
        return (replica ?? ready.FirstOrDefault(r => r.Role == PrimaryRole))?.Ordinal;
    }
}
