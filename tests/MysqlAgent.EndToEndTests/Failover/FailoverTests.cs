using System.Globalization;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Failover;

/// <summary>
/// Automatic failover on the local set (failover (the default; not <c>up --fixed-primary</c>)): real mariadbd, real agents electing
/// through the file Lease, writes through the mysql-primary port. In every case a writer logs each
/// acknowledged write and a sampler counts writable pods every 100 ms; afterwards every
/// acknowledged write must be on every pod. Times are printed, never asserted.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    public const int Patient = 15 * 60 * 1000;

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primarys_mysqld_down_for_good_a_replica_takes_over_and_no_acknowledged_write_is_lost()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        // Kept down as a broken config keeps a pod in CrashLoopBackOff: each restart fails at once.
        var blocker = run.KeepMysqldDown("mysql-0");
        var faultAt = writer.Now;
        var (next, _) = await run.FailOverAsync(
            run.First,
            "mysql-0's mysqld killed, kept down",
            async () => Processes.Kill9((await set.PodAsync("mysql-0")).Pid("mysql")!.Value)
        );
        var acknowledged = await run.FinishWritingAsync([1, 2]);

        // Back with its old data: it follows the new primary and catches up, or, when the write in
        // flight at the kill reached its binary log and no replica (semi-sync AFTER_SYNC: written,
        // not acknowledged), its agent finds that errant transaction and re-clones the pod;
        // read-only either way, and in the end every pod is ready with every acknowledged write.
        File.Delete(blocker);
        output.WriteLine("mysql-0's mysqld may start again");
        await run.RejoinedOrErrantAsync(0, acknowledged);
        await run.AllPodsHealAsync(acknowledged, faultAt);

        Assert.True(await run.ReadOnlyAsync(0), "the returning old primary is read-only");
        Assert.Equal(next, set.LeaseFromFile());

        Assert.Empty(await run.StopSamplingAsync());
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primary_frozen_a_replica_takes_over_and_the_thawed_old_primary_turns_read_only()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        // The writer gives up on a silent server after 5 s.
        var faultAt = writer.Now;
        var (next, _) = await run.FailOverAsync(
            run.First,
            "mysql-0 frozen",
            () => set.MustRunAsync("freeze", "mysql-0")
        );
        await writer.WaitForMoreAsync(100);

        await set.MustRunAsync("thaw", "mysql-0");
        var thawedAt = writer.Now;
        await set.WaitUntilAsync("the thawed old primary is read-only", () => run.ReadOnlyAsync(0));
        output.WriteLine(
            $"mysql-0 read-only {(writer.Now - thawedAt).TotalSeconds:0.0} s after the thaw (or sooner)"
        );
        var acknowledged = await run.FinishWritingAsync([1, 2]);

        // It rejoins as a replica of the new primary, or its agent finds its GTIDs errant and
        // re-clones it; either way the set ends whole with no command typed.
        await run.RejoinedOrErrantAsync(0, acknowledged);
        await run.AllPodsHealAsync(acknowledged, faultAt);
        Assert.True(await run.ReadOnlyAsync(0));
        Assert.Equal(next.Term, set.LeaseFromFile()!.Term);

        // Frozen, mysql-0 answers nothing and so counts as silent, not writable; what it answers in
        // the first second after the thaw is counted apart (see WritableSampler).
        Assert.Empty(await run.StopSamplingAsync());
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primarys_mysqld_killed_and_restarted_at_once_the_term_does_not_change()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        var mysqld = (await set.PodAsync("mysql-0")).Pid("mysql")!.Value;
        Processes.Kill9(mysqld);
        var killedAt = writer.Now;
        output.WriteLine($"killed mysql-0's mysqld {mysqld}; the kubelet restarts it");

        var outage = await writer.OutageAfterAsync(killedAt);
        output.WriteLine(
            $"writes failed from {(outage.FirstError - killedAt).TotalSeconds:0.0} s after the kill and came back {(outage.Resumed.At - killedAt).TotalSeconds:0.0} s after it"
        );
        Assert.True((await set.PodAsync("mysql-0")).Restarts("mysql") >= 1);
        await run.FinishWritingAsync([0, 1, 2]);

        Assert.Equal(run.First, set.LeaseFromFile());
        Assert.Empty(await run.StopSamplingAsync());
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task A_switchover_under_load_hands_the_primary_over_with_a_short_write_pause_and_no_write_lost()
    {
        await using var run = await FailoverRun.StartAsync(output, writes: 200);
        var (set, writer) = (run.Set, run.Writer);

        var asked = writer.Now;
        await set.MustRunAsync("switchover", "--to", "mysql-1");
        var next = await set.WaitForLeaseAsync(
            "mysql-1 holds the Lease in a later term",
            l => l.Holder == "mysql-1" && l.Term > run.First.Term
        );
        var done = writer.Now;
        var resumed = await writer.FirstAfterAsync(done);
        var pause = writer.LongestPause(asked, resumed.At);
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"switchover to {next.Holder} in term {next.Term}: write pause {pause.TotalMilliseconds:0} ms (longest gap between acknowledged writes from the request until writes came back); {(done - asked).TotalSeconds:0.0} s until the Lease moved"
            )
        );
        await run.FinishWritingAsync([0, 1, 2]);
        Assert.True(await run.ReadOnlyAsync(0), "the old primary is read-only");

        Assert.Empty(await run.StopSamplingAsync());
    }
}
