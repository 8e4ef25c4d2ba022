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
    IReadOnlyList<ClientFigures> Clients,
    ArchiveLag ArchiveLag,
    IReadOnlyList<FailoverRun> Runs
);

/// <summary>The archive's lag (the RPO of a point-in-time restore) over the samples of <see cref="ArchiveLagRun"/>, in seconds; <see cref="Run"/> says what the run did, or why it failed.</summary>
internal sealed record ArchiveLag(
    double P50,
    double P99,
    double Max,
    int Samples,
    int SamplesBeforeFirstArchive,
    string Run
)
{
    public static ArchiveLag Of(
        IReadOnlyCollection<double> lags,
        int beforeFirstArchive,
        string run
    ) =>
        new(
            Stats.Percentile(lags, 50),
            Stats.Percentile(lags, 99),
            lags.Count == 0 ? double.NaN : lags.Max(),
            lags.Count,
            beforeFirstArchive,
            run
        );

    public static ArchiveLag Failed(string error) => Of([], 0, "FAILED: " + error);
}
