namespace MysqlInit;

/// <summary>A file to put in conf.d: its full content is known before anything is written.</summary>
internal sealed record PlannedFile(string Path, byte[] Content, string? CopiedFrom);

/// <summary>
/// Everything one run will do to conf.d, worked out and checked before the first write, so that a
/// bad input fails the run without changing anything.
/// </summary>
internal sealed record ConfigPlan(
    string PodName,
    int Ordinal,
    uint ServerId,
    string Role,
    IReadOnlyList<PlannedFile> Writes,
    string StaleRoleFile
);
