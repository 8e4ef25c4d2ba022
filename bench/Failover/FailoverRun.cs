namespace MysqlBench.Failover;

/// <summary>
/// One run on a fresh local set: a switchover, then the primary frozen. Times in seconds on the
/// run's clock; a figure is null when its step failed (<see cref="Error"/> says why).
/// <see cref="TwoWritableAfterThaw"/>: the samples with two writable pods taken after the frozen
/// pod was thawed (its mysqld answers writable until its agent fences it).
/// </summary>
internal sealed record FailoverRun(
    int Run,
    double UpSeconds,
    string SwitchoverTo,
    double? SwitchoverPauseSeconds,
    double? SwitchoverLeaseMovedSeconds,
    string FrozenPod,
    string NewPrimary,
    long Term,
    double? FailoverSeconds,
    double? FailoverLeaseMovedSeconds,
    double FreezeCommandSeconds,
    int Acknowledged,
    int Lost,
    string LostOn,
    string OldPrimary,
    int Samples,
    int TwoWritable,
    int TwoWritableAfterThaw,
    int SamplesWithSilentPod,
    int TwoWritableCountingSilent,
    double RunSeconds,
    string? Error
);
