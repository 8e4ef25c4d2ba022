using System.Diagnostics;
using MysqlAgent.TestSupport;
using MysqlAgent.TestSupport.Failover;

namespace MysqlBench.Failover;

/// <summary>
/// The RPO of a point-in-time restore across a failover, under a steady write load: one fresh local
/// set with the agents' defaults (<c>--binlog-archive-interval</c> 60 s), a writer through
/// mysql-primary for <see cref="Before"/>, the primary frozen for 30 s (another pod takes over and
/// continues the archive), thawed, and the writer on for <see cref="After"/> from the first write
/// the new primary acknowledged. <see cref="ArchiveLagSampler"/> samples the lag once a second
/// throughout.
/// </summary>
internal sealed class ArchiveLagRun(LocalSetOptions setOptions, Workspace work)
{
    public static readonly TimeSpan Before = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan After = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan FrozenFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);

    public const string Method =
        "one fresh local set, agent defaults (--binlog-archive-interval 60 s): a writer through mysql-primary for 2 min, the primary frozen 30 s (another pod takes the Lease and archives on), thawed, the writer on for 3 min from the new primary's first write; once a second, the newest acknowledged write's time minus the newest lastEventAt among the archived binlogs' manifests (before the first archive, the span since the first acknowledged write)";

    public async Task<ArchiveLag> RunAsync(CancellationToken ct)
    {
        var (set, _) = await LocalSet.UpAsync(
            setOptions,
            work.NewPath("local-set-rpo"),
            FailoverBench.Pods,
            [],
            ct
        );
        await using (set)
        {
            var first = await set.WaitForLeaseAsync(
                "a pod holds the Lease after up",
                l => l.Holder.Length > 0,
                Step,
                ct
            );
            var clock = Stopwatch.StartNew();
            await using var writer = await PrimaryWriter.StartAsync(
                set,
                "bench.rpo",
                clock,
                Step,
                ct
            );
            await using var sampler = new ArchiveLagSampler(
                Path.Combine(set.StateDir, "backups", "binlogs"),
                writer,
                clock
            );
            await UntilAsync(clock, clock.Elapsed + Before, ct);

            var holder = first.Holder;
            var frozenAt = clock.Elapsed;
            await set.MustRunAsync(["freeze", holder], ct);
            LeaseView next;
            try
            {
                next = await set.WaitForLeaseAsync(
                    $"another pod holds the Lease after {holder} froze",
                    l => l.Term > first.Term && l.Holder.Length > 0 && l.Holder != holder,
                    Step,
                    ct
                );
                await UntilAsync(clock, frozenAt + FrozenFor, ct);
            }
            finally
            {
                await set.RunAsync(["thaw", holder], CancellationToken.None);
            }

            var resumed = (await writer.OutageAfterAsync(frozenAt, Step, ct)).Resumed;
            await UntilAsync(clock, resumed.At + After, ct);
            var (lags, beforeFirstArchive) = await sampler.StopAsync();
            var acknowledged = await writer.StopAsync();
            return ArchiveLag.Of(
                lags,
                beforeFirstArchive,
                $"{acknowledged.Count} writes acknowledged; {holder} frozen at {frozenAt.TotalSeconds:0} s, {next.Holder} took over (term {next.Term}), writes back at {resumed.At.TotalSeconds:0} s"
            );
        }
    }

    private static Task UntilAsync(Stopwatch clock, TimeSpan at, CancellationToken ct) =>
        Eventually.UntilAsync(
            () => clock.Elapsed >= at,
            $"{at.TotalSeconds:0} s into the run",
            at - clock.Elapsed + Step,
            cancellationToken: ct
        );
}
