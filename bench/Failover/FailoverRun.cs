namespace MysqlBench.Failover;

/// <summary>
/// One run on a fresh local set: a switchover, then the primary frozen. Times in seconds on the
/// run's clock; a figure is null when its step failed (<see cref="Error"/> says why).
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
    double FreezeCommandSeconds,
    int Acknowledged,
    int Lost,
    string OldPrimary,
    int Samples,
    int TwoWritable,
    int SamplesWithSilentPod,
    int TwoWritableCountingSilent,
    double RunSeconds,
    string? Error
);
