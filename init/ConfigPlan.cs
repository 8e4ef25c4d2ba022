namespace MysqlInit;

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
