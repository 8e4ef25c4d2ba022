namespace MysqlBench.Failover;

/// <summary>The failover figures of <c>./dev bench --failover</c>, as written to the bench JSON.</summary>
internal sealed record FailoverResult(
    int RunsAsked,
    string Timings,
    string Method,
    string LoadAverageBefore,
    string LoadAverageAfter,
    FigureSummary FailoverSeconds,
    FigureSummary DownFailoverSeconds,
    FigureSummary HealSeconds,
    FigureSummary DownHealSeconds,
    int PodsLeftUnhealed,
    FigureSummary SwitchoverPauseSeconds,
    int LostWrites,
    int Samples,
    int TwoWritableSamples,
    int TwoWritableInThawWindowSamples,
    int SamplesWithSilentPod,
    int TwoWritableCountingSilent,
    IReadOnlyList<FailoverRun> Runs
);
