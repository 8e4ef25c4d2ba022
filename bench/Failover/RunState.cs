namespace MysqlBench.Failover;

/// <summary>What a run measured so far; a step that failed leaves its figure null.</summary>
internal sealed class RunState(int run, FailoverScenario scenario, double upSeconds)
{
    public string SwitchoverTo { get; set; } = "";
    public double? SwitchoverPause { get; set; }
    public double? SwitchoverLeaseMoved { get; set; }
    public string FrozenPod { get; set; } = "";
    public string NewPrimary { get; set; } = "";
    public long Term { get; set; }
    public double? Failover { get; set; }
    public double? FailoverLeaseMoved { get; set; }
    public double FreezeCommand { get; set; }
    public int Acknowledged { get; set; }
    public int Lost { get; set; }
    public string LostOn { get; set; } = "";
    public string OldPrimary { get; set; } = "not checked";
    public int Samples { get; set; }
    public int TwoWritable { get; set; }
    public int TwoWritableInThawWindow { get; set; }
    public int SamplesWithSilentPod { get; set; }
    public int TwoWritableCountingSilent { get; set; }
    public double? Heal { get; set; }
    public string Unhealed { get; set; } = "not checked";
    public string? Error { get; set; }
    public IReadOnlyList<ClientGap> Clients { get; set; } = [];

    public FailoverRun ToRun(double runSeconds) =>
        new(
            run,
            scenario,
            upSeconds,
            SwitchoverTo,
            SwitchoverPause,
            SwitchoverLeaseMoved,
            FrozenPod,
            NewPrimary,
            Term,
            Failover,
            FailoverLeaseMoved,
            FreezeCommand,
            Acknowledged,
            Lost,
            LostOn,
            OldPrimary,
            Samples,
            TwoWritable,
            TwoWritableInThawWindow,
            SamplesWithSilentPod,
            TwoWritableCountingSilent,
            Heal,
            Unhealed,
            runSeconds,
            Clients,
            Error
        );
}
