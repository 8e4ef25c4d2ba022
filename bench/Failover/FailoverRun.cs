namespace MysqlBench.Failover;

/// <summary>
/// One run on a fresh local set: a fault of <see cref="Scenario"/>, then the heal with no command
/// typed. Times in seconds on the run's clock; a figure is null when its step failed (<see cref="Error"/> says why).
/// <see cref="TwoWritable"/>: the samples with two writable pods outside the thaw window;
/// <see cref="TwoWritableInThawWindow"/>: those in the first second after the frozen pod was thawed
/// with it one of the two (its mysqld answers before its agent runs; see WritableSampler).
/// <see cref="HealSeconds"/>: from the fault until every pod is ready, not errant and holds every
/// acknowledged write; <see cref="Unhealed"/>: the pods that were not at the deadline ("" for none).
/// <see cref="Clients"/>: what each application client saw of the fault (<see cref="ClientGap"/>).
/// </summary>
internal sealed record FailoverRun(
    int Run,
    FailoverScenario Scenario,
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
    double? HealSeconds,
    string Unhealed,
    double RunSeconds,
    IReadOnlyList<ClientGap> Clients,
    string? Error
);
