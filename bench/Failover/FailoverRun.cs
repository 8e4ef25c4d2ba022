namespace MysqlBench.Failover;

/// <summary>
/// One run on a fresh local set: a switchover, then the primary frozen. Times in seconds on the
/// run's clock; a figure is null when its step failed (<see cref="Error"/> says why).
/// <see cref="TwoWritable"/>: the samples with two writable pods outside the thaw window;
/// <see cref="TwoWritableInThawWindow"/>: those in the first second after the frozen pod was thawed
/// with it one of the two (its mysqld answers before its agent runs; see WritableSampler).
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
    int TwoWritableInThawWindow,
    int SamplesWithSilentPod,
    int TwoWritableCountingSilent,
    double RunSeconds,
    string? Error
);
