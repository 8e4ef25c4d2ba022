using MysqlAgent.TestSupport.Failover;

namespace MysqlBench.Failover;

/// <summary>Issues 15's and 27's goals for the failover figures, and the table of them.</summary>
internal static class FailoverGoals
{
    public const double FailoverMedianSeconds = 20;
    public const double FailoverWorstSeconds = 30;
    public const double SwitchoverPauseMedianSeconds = 2;
    public const double DownFailoverMedianSeconds = 20;

    /// <summary>Issue 28: the RPO of a point-in-time restore under a steady write load, its 99th percentile.</summary>
    public const double ArchiveLagP99Seconds = 60;

    /// <summary>Issue 31: an application's first write after a freeze, at most this long after the failover itself.</summary>
    public const double ClientBeyondFailoverSeconds = 2;

    public static List<GoalCheck> Check(FailoverResult r)
    {
        var failover = r.FailoverSeconds;
        var down = r.DownFailoverSeconds;
        var pause = r.SwitchoverPauseSeconds;
        var measured = r.Runs.Count(x => x.Error is null);
        var lag = r.ArchiveLag;
        List<GoalCheck> clients =
        [
            .. r
                .Clients.Where(c => c.Scenario == FailoverScenario.Frozen)
                .Select(c => new GoalCheck(
                    $"frozen: '{c.Client}' client, writes back after the failover itself, worst",
                    $"{Goals.F(c.BeyondFailoverSeconds.Worst, 2)} s",
                    $"<= {Goals.F(ClientBeyondFailoverSeconds, 0)} s",
                    c.BeyondFailoverSeconds.Runs > 0
                        ? c.BeyondFailoverSeconds.Worst <= ClientBeyondFailoverSeconds
                        : null,
                    $"median {Goals.F(c.BeyondFailoverSeconds.Median, 2)} s of {c.BeyondFailoverSeconds.Runs} runs: its first acknowledged write after the freeze minus the bench writer's; its own write gap median {Goals.F(c.GapSeconds.Median, 1)} s, worst {Goals.F(c.GapSeconds.Worst, 1)} s (driver defaults: 15 s connect timeout, no read timeout)"
                )),
        ];
        return
        [
            .. clients,
            new(
                "RPO: binlog archive lag, p99",
                $"{Goals.F(lag.P99, 1)} s",
                $"<= {Goals.F(ArchiveLagP99Seconds, 0)} s",
                // Lower bounds only (no binlog ever archived) give no verdict.
                lag.Samples > lag.SamplesBeforeFirstArchive
                    ? lag.P99 <= ArchiveLagP99Seconds
                    : null,
                $"p50 {Goals.F(lag.P50, 1)} s, max {Goals.F(lag.Max, 1)} s over {lag.Samples} samples (one a second while the writer wrote, across a failover); {lag.SamplesBeforeFirstArchive} of them before any binlog was archived (lag = the span since the run's first acknowledged write); {lag.Run}"
            ),
            new(
                "frozen: writes back, median",
                $"{Goals.F(failover.Median, 1)} s",
                $"<= {Goals.F(FailoverMedianSeconds, 0)} s",
                failover.Runs > 0 ? failover.Median <= FailoverMedianSeconds : null,
                $"of {failover.Runs} runs; best {Goals.F(failover.Best, 1)} s; freeze to first acknowledged write through mysql-primary"
            ),
            new(
                "frozen: writes back, worst",
                $"{Goals.F(failover.Worst, 1)} s",
                $"<= {Goals.F(FailoverWorstSeconds, 0)} s",
                failover.Runs > 0 ? failover.Worst <= FailoverWorstSeconds : null,
                $"of {failover.Runs} runs"
            ),
            new(
                "mysqld down for good: writes back, median",
                $"{Goals.F(down.Median, 1)} s",
                $"<= {Goals.F(DownFailoverMedianSeconds, 0)} s",
                down.Runs > 0 ? down.Median <= DownFailoverMedianSeconds : null,
                $"of {down.Runs} runs; worst {Goals.F(down.Worst, 1)} s; SIGKILL of the primary's mysqld, kept from starting, to the first acknowledged write through mysql-primary"
            ),
            new(
                "pods left errant or unready at the end",
                r.PodsLeftUnhealed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "0",
                measured > 0 ? r.PodsLeftUnhealed == 0 : null,
                $"runs whose set had not healed {FailoverBench.HealDeadlineText} after the fault; heal median {Goals.F(r.HealSeconds.Median, 1)} s (frozen), {Goals.F(r.DownHealSeconds.Median, 1)} s (mysqld down)"
            ),
            new(
                "switchover write pause, median",
                $"{Goals.F(pause.Median, 2)} s",
                $"<= {Goals.F(SwitchoverPauseMedianSeconds, 0)} s",
                pause.Runs > 0 ? pause.Median <= SwitchoverPauseMedianSeconds : null,
                $"of {pause.Runs} runs; worst {Goals.F(pause.Worst, 2)} s, best {Goals.F(pause.Best, 2)} s"
            ),
            new(
                "acknowledged writes lost",
                r.LostWrites.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "0",
                measured > 0 ? r.LostWrites == 0 : null,
                $"{r.Runs.Sum(x => x.Acknowledged)} acknowledged in {measured} complete runs"
            ),
            new(
                "samples with two writable pods outside the thaw window",
                r.TwoWritableSamples.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "0",
                measured > 0 ? r.TwoWritableSamples == 0 : null,
                $"of {r.Samples}; besides, {r.TwoWritableInThawWindowSamples} in the first {WritableSampler.ThawAllowance.TotalSeconds:0} s after a thaw with the thawed pod one of the two (counted apart); {r.SamplesWithSilentPod} with a silent (frozen) pod, not counted writable; counting its last answer: {r.TwoWritableCountingSilent}"
            ),
        ];
    }

    /// <summary>Per figure: median, worst, best of the runs, beside its goal.</summary>
    public static void PrintTable(TextWriter log, FailoverResult r)
    {
        log.WriteLine(
            $"\nFailover figures, {r.Runs.Count(x => x.Error is null)} of {r.RunsAsked} runs complete; {r.Timings}; load average {r.LoadAverageBefore} at start, {r.LoadAverageAfter} at end:\n"
        );
        log.WriteLine("| figure | median | worst | best | goal |");
        log.WriteLine("|---|---|---|---|---|");
        log.WriteLine(
            $"| frozen 30 s: writes back (freeze to first acknowledged write) | {S(r.FailoverSeconds.Median)} | {S(r.FailoverSeconds.Worst)} | {S(r.FailoverSeconds.Best)} | median <= {Goals.F(FailoverMedianSeconds, 0)} s, worst <= {Goals.F(FailoverWorstSeconds, 0)} s |"
        );
        log.WriteLine(
            $"| mysqld down for good: writes back (kill to first acknowledged write) | {S(r.DownFailoverSeconds.Median)} | {S(r.DownFailoverSeconds.Worst)} | {S(r.DownFailoverSeconds.Best)} | median <= {Goals.F(DownFailoverMedianSeconds, 0)} s |"
        );
        log.WriteLine(
            $"| frozen 30 s: every pod ready again (freeze to healed, the 30 s frozen included; no command typed) | {S(r.HealSeconds.Median)} | {S(r.HealSeconds.Worst)} | {S(r.HealSeconds.Best)} | reported |"
        );
        log.WriteLine(
            $"| mysqld down for good: every pod ready again | {S(r.DownHealSeconds.Median)} | {S(r.DownHealSeconds.Worst)} | {S(r.DownHealSeconds.Best)} | reported |"
        );
        log.WriteLine(
            $"| runs with a pod left errant or unready at the end | {r.PodsLeftUnhealed} | | | 0 |"
        );
        log.WriteLine(
            $"| switchover write pause | {S(r.SwitchoverPauseSeconds.Median)} | {S(r.SwitchoverPauseSeconds.Worst)} | {S(r.SwitchoverPauseSeconds.Best)} | median <= {Goals.F(SwitchoverPauseMedianSeconds, 0)} s |"
        );
        foreach (var c in r.Clients)
        {
            log.WriteLine(
                $"| {FailoverBench.Name(c.Scenario)}: '{c.Client}' client (driver defaults), its write gap | {S(c.GapSeconds.Median)} | {S(c.GapSeconds.Worst)} | {S(c.GapSeconds.Best)} | reported |"
            );
            log.WriteLine(
                $"| {FailoverBench.Name(c.Scenario)}: '{c.Client}' client, writes back after the failover itself (the bench writer's) | {S(c.BeyondFailoverSeconds.Median)} | {S(c.BeyondFailoverSeconds.Worst)} | {S(c.BeyondFailoverSeconds.Best)} | {(c.Scenario == FailoverScenario.Frozen ? $"worst <= {Goals.F(ClientBeyondFailoverSeconds, 0)} s" : "reported")} |"
            );
        }

        log.WriteLine($"| acknowledged writes lost | {r.LostWrites} in all runs | | | 0 |");
        log.WriteLine(
            $"| RPO across a failover: newest acknowledged write - newest archived binlog event, sampled each second ({r.ArchiveLag.Samples} samples; p50 {S(r.ArchiveLag.P50)}) | p99 {S(r.ArchiveLag.P99)} | max {S(r.ArchiveLag.Max)} | | p99 <= {Goals.F(ArchiveLagP99Seconds, 0)} s |"
        );
        log.WriteLine(
            $"| samples with two writable pods, outside the thaw window | {r.TwoWritableSamples} of {r.Samples} | | | 0 |"
        );
        log.WriteLine(
            $"| samples with two writable pods, in the first {WritableSampler.ThawAllowance.TotalSeconds:0} s after a thaw (the thawed pod one of them) | {r.TwoWritableInThawWindowSamples} of {r.Samples} | | | counted apart |"
        );
        log.WriteLine(
            $"\n  silent pods: {r.SamplesWithSilentPod} samples had a pod that had not answered for over {WritableSampler.Fresh.TotalSeconds:0} s (frozen); it is not counted writable (a stopped server commits nothing); counting its last answer instead, {r.TwoWritableCountingSilent} samples show two writable pods"
        );
        foreach (var run in r.Runs.Where(x => x.Error is not null))
        {
            log.WriteLine($"  run {run.Run} failed: {run.Error}");
        }

        log.WriteLine($"  RPO run: {r.ArchiveLag.Run}");
        log.WriteLine($"  how: {r.Method}");
        log.WriteLine($"  RPO, how: {ArchiveLagRun.Method}");
    }

    private static string S(double seconds) =>
        double.IsNaN(seconds) ? "-" : $"{Goals.F(seconds, 2)} s";
}
