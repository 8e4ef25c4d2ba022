using System.Globalization;
using System.Text.Json;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Failover;

/// <summary>
/// Automatic failover on the local set (<c>up --failover</c>): real mariadbd, real agents electing
/// through the file Lease, writes through the mysql-primary port. In every case a writer logs each
/// acknowledged write and a sampler counts writable pods every 100 ms; afterwards every
/// acknowledged write must be on every pod. Times are printed, never asserted.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Patient = 15 * 60 * 1000;
    private const int Pods = 3;

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primarys_mysqld_down_for_good_a_replica_takes_over_and_no_acknowledged_write_is_lost()
    {
        var (set, _) = await UpAsync();
        await using (set)
        {
            var first = await set.WaitForLeaseAsync(
                "mysql-0 holds the Lease",
                l => l.Holder == "mysql-0"
            );
            await using var sampler = WritableSampler.Start(set, Pods);
            await using var writer = await PrimaryWriter.StartAsync(set);
            await writer.WaitForMoreAsync(100);

            // Kept down as a broken config keeps a pod in CrashLoopBackOff: each restart fails at once.
            var blocker = KeepMysqldDown(set, "mysql-0");
            var mysqld = (await set.PodAsync("mysql-0")).Pid("mysql")!.Value;
            Processes.Kill9(mysqld);
            var killedAt = writer.Now;
            output.WriteLine(
                $"killed mysql-0's mysqld {mysqld} at {killedAt.TotalSeconds:0.0} s; it stays down"
            );

            var next = await set.WaitForLeaseAsync(
                "another pod holds the Lease in a later term",
                l => l.Term > first.Term && l.Holder is { Length: > 0 } h && h != "mysql-0"
            );
            var (failed, resumed) = await writer.OutageAfterAsync(killedAt);
            output.WriteLine(
                $"failover: {next.Holder} in term {next.Term}; writes failed from {(failed - killedAt).TotalSeconds:0.0} s after the kill and came back {(resumed.At - killedAt).TotalSeconds:0.0} s after it"
            );
            await writer.WaitForMoreAsync(100);
            var acknowledged = await writer.StopAsync();
            await AssertOnPodsAsync(set, writer, acknowledged, [1, 2]);

            // Back with its old data: it must follow the new primary and catch up, read-only.
            File.Delete(blocker);
            output.WriteLine("mysql-0's mysqld may start again");
            await AssertOnPodsAsync(set, writer, acknowledged, [0]);
            Assert.True(await ReadOnlyAsync(set, 0), "the returning old primary is read-only");
            Assert.Equal(next, set.LeaseFromFile());

            await sampler.StopAsync();
            output.WriteLine(sampler.Summary());
            Assert.Empty(sampler.TwoWritable);
        }
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primary_frozen_a_replica_takes_over_and_the_thawed_old_primary_turns_read_only()
    {
        var (set, _) = await UpAsync();
        await using (set)
        {
            var first = await set.WaitForLeaseAsync(
                "mysql-0 holds the Lease",
                l => l.Holder == "mysql-0"
            );
            await using var sampler = WritableSampler.Start(set, Pods);
            await using var writer = await PrimaryWriter.StartAsync(set);
            await writer.WaitForMoreAsync(100);

            await set.MustRunAsync("freeze", "mysql-0");
            var frozenAt = writer.Now;
            var next = await set.WaitForLeaseAsync(
                "another pod holds the Lease in a later term",
                l => l.Term > first.Term && l.Holder is { Length: > 0 } h && h != "mysql-0"
            );
            var (_, resumed) = await writer.OutageAfterAsync(frozenAt);
            output.WriteLine(
                $"failover: {next.Holder} in term {next.Term}; writes came back {(resumed.At - frozenAt).TotalSeconds:0.0} s after the freeze (the writer gives up on a silent server after 5 s)"
            );
            await writer.WaitForMoreAsync(100);

            await set.MustRunAsync("thaw", "mysql-0");
            var thawedAt = writer.Now;
            await set.WaitUntilAsync(
                "the thawed old primary is read-only",
                () => ReadOnlyAsync(set, 0)
            );
            output.WriteLine(
                $"mysql-0 read-only {(writer.Now - thawedAt).TotalSeconds:0.0} s after the thaw (or sooner)"
            );
            await writer.WaitForMoreAsync(100);
            var acknowledged = await writer.StopAsync();
            await AssertOnPodsAsync(set, writer, acknowledged, [1, 2]);

            // It rejoins as a replica of the new primary, or its agent says its GTIDs are errant.
            var errant = false;
            await set.WaitUntilAsync(
                "mysql-0 holds every acknowledged write, or its agent reports errant transactions",
                async () =>
                {
                    if (await HoldsAllAsync(set, 0, acknowledged))
                    {
                        return true;
                    }

                    errant = await ErrantAsync(set, 0);
                    return errant;
                }
            );
            output.WriteLine(
                errant
                    ? "mysql-0 is marked errant"
                    : "mysql-0 rejoined and holds every acknowledged write"
            );
            Assert.True(await ReadOnlyAsync(set, 0));
            Assert.Equal(next.Term, set.LeaseFromFile()!.Term);

            await sampler.StopAsync();
            // A frozen server answers nothing, so its last answer (writable) stands until the thaw:
            // samples are printed, not asserted, here.
            output.WriteLine(sampler.Summary());
        }
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primarys_mysqld_killed_and_restarted_at_once_the_term_does_not_change()
    {
        var (set, _) = await UpAsync();
        await using (set)
        {
            var first = await set.WaitForLeaseAsync(
                "mysql-0 holds the Lease",
                l => l.Holder == "mysql-0"
            );
            await using var sampler = WritableSampler.Start(set, Pods);
            await using var writer = await PrimaryWriter.StartAsync(set);
            await writer.WaitForMoreAsync(100);

            var mysqld = (await set.PodAsync("mysql-0")).Pid("mysql")!.Value;
            Processes.Kill9(mysqld);
            var killedAt = writer.Now;
            output.WriteLine($"killed mysql-0's mysqld {mysqld}; the kubelet restarts it");

            var (failed, resumed) = await writer.OutageAfterAsync(killedAt);
            output.WriteLine(
                $"writes failed from {(failed - killedAt).TotalSeconds:0.0} s after the kill and came back {(resumed.At - killedAt).TotalSeconds:0.0} s after it"
            );
            Assert.True((await set.PodAsync("mysql-0")).Restarts("mysql") >= 1);
            await writer.WaitForMoreAsync(100);
            var acknowledged = await writer.StopAsync();
            await AssertOnPodsAsync(set, writer, acknowledged, [0, 1, 2]);

            Assert.Equal(first, set.LeaseFromFile());
            await sampler.StopAsync();
            output.WriteLine(sampler.Summary());
            Assert.Empty(sampler.TwoWritable);
        }
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task A_switchover_under_load_hands_the_primary_over_with_a_short_write_pause_and_no_write_lost()
    {
        var (set, _) = await UpAsync();
        await using (set)
        {
            var first = await set.WaitForLeaseAsync(
                "mysql-0 holds the Lease",
                l => l.Holder == "mysql-0"
            );
            await using var sampler = WritableSampler.Start(set, Pods);
            await using var writer = await PrimaryWriter.StartAsync(set);
            await writer.WaitForMoreAsync(200);

            var asked = writer.Now;
            await set.MustRunAsync("switchover", "--to", "mysql-1");
            var next = await set.WaitForLeaseAsync(
                "mysql-1 holds the Lease in a later term",
                l => l.Holder == "mysql-1" && l.Term > first.Term
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
            await writer.WaitForMoreAsync(100);
            var acknowledged = await writer.StopAsync();
            await AssertOnPodsAsync(set, writer, acknowledged, [0, 1, 2]);
            Assert.True(await ReadOnlyAsync(set, 0), "the old primary is read-only");

            await sampler.StopAsync();
            output.WriteLine(sampler.Summary());
            Assert.Empty(sampler.TwoWritable);
        }
    }

    /// <summary>
    /// Shorter election timings than the defaults (lease 15 s, renew deadline 10 s, retry 2 s,
    /// fence 3 s, primary start 30 s) to spend fewer CI minutes, still within the rules the agent
    /// checks (renew deadline + fence budget &lt; lease; renew deadline &gt; 1.2 × retry) and with
    /// room for a loaded 2-core machine.
    /// </summary>
    private Task<(LocalSet Set, CommandOutput Up)> UpAsync() =>
        LocalSet.UpAsync(
            output,
            Pods,
            [
                "--failover",
                "--agent-arg=--lease-duration-seconds=10",
                "--agent-arg=--renew-deadline-seconds=6",
                "--agent-arg=--retry-period-seconds=2",
                "--agent-arg=--fence-budget-seconds=3",
                "--agent-arg=--primary-start-timeout-seconds=15",
            ]
        );

    /// <summary>Each restart of the pod's mysqld fails at once, on an option it does not know, until the file goes.</summary>
    private static string KeepMysqldDown(LocalSet set, string pod)
    {
        var blocker = Path.Combine(set.PodDir(pod), "conf.d", "zz-e2e-keep-down.cnf");
        File.WriteAllText(blocker, "[mysqld]\ne2e-keep-mysqld-down=1\n");
        return blocker;
    }

    /// <summary>Waits until each pod holds every acknowledged write (replication catching up), then checks nothing else is there.</summary>
    private async Task AssertOnPodsAsync(
        LocalSet set,
        PrimaryWriter writer,
        IReadOnlyList<long> acknowledged,
        IReadOnlyList<int> ordinals
    )
    {
        output.WriteLine(
            $"writer: {acknowledged.Count} writes acknowledged of {writer.Attempted}, {writer.Errors.Count} errors; the last: {string.Join(" | ", writer.Errors.TakeLast(3))}"
        );
        foreach (var ordinal in ordinals)
        {
            await set.WaitUntilAsync(
                $"mysql-{ordinal} holds all {acknowledged.Count} acknowledged writes",
                () => HoldsAllAsync(set, ordinal, acknowledged)
            );
            await Consistency.AssertHoldsAsync(set, ordinal, acknowledged, writer.Attempted);
        }
    }

    private static async Task<bool> HoldsAllAsync(
        LocalSet set,
        int ordinal,
        IReadOnlyList<long> acknowledged
    )
    {
        if (acknowledged.Count == 0)
        {
            return true;
        }

        await using var connection = await set.ConnectAsync(ordinal);
        var present = await Sql.ScalarAsync<long>(
            connection,
            string.Create(
                CultureInfo.InvariantCulture,
                $"SELECT COUNT(*) FROM {PrimaryWriter.Table} WHERE id IN ({string.Join(',', acknowledged)})"
            )
        );
        return present == acknowledged.Count;
    }

    private static async Task<bool> ReadOnlyAsync(LocalSet set, int ordinal)
    {
        await using var connection = await set.ConnectAsync(ordinal);
        return await Sql.ScalarAsync<long>(connection, "SELECT @@read_only") == 1;
    }

    /// <summary>The agent's own verdict in its /status: <c>candidate.errant</c>.</summary>
    private static async Task<bool> ErrantAsync(LocalSet set, int ordinal)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var body = await http.GetStringAsync(
            new Uri(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"http://127.0.0.1:{LocalSet.MysqlPort(set.BasePort, ordinal) + 2}/status"
                )
            )
        );
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("candidate", out var candidate)
            && candidate.TryGetProperty("errant", out var errant)
            && errant.GetBoolean();
    }
}
