using System.Globalization;
using MysqlAgent.EndToEndTests.Harness;
using MySqlConnector;

namespace MysqlAgent.EndToEndTests.Failover;

/// <summary>
/// The fault cases of issue 15 beyond the four of <see cref="FailoverTests"/>: isolation from the
/// Lease store, a short flap, a switchover to a lagging target, a replica ahead of the one that
/// would race, a winner lost before it promotes, three failovers in a row, and a paused set. Same writer and
/// sampler; afterwards every acknowledged write is on every pod that should hold it. Times are
/// printed, never asserted.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class FailoverFaultTests(ITestOutputHelper output)
{
    private const int Patient = FailoverTests.Patient;
    private const string RenewFailures = "mysql_agent_lease_renew_failures_total";

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primary_isolated_under_writes_a_replica_takes_over_the_old_one_fences_itself_and_never_writes_again()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        await set.MustRunAsync("isolate", "mysql-0");
        var isolatedAt = writer.Now;
        await set.WaitUntilAsync(
            "the isolated mysql-0 turns itself read-only",
            () => run.ReadOnlyAsync(0)
        );
        output.WriteLine(
            $"mysql-0 read-only {(writer.Now - isolatedAt).TotalSeconds:0.0} s after the cut (or sooner)"
        );

        // From the sampler's first answer asked after this, mysql-0 must never be writable again.
        var fresh = await run.Sampler.FreshAnswerAsync(0, run.Sampler.Now);
        var next = await run.WaitForNewPrimaryAsync(run.First);
        var outage = await writer.OutageAfterAsync(isolatedAt);
        output.WriteLine(
            $"failover: {next.Holder} in term {next.Term}; writes failed from {(outage.FirstError - isolatedAt).TotalSeconds:0.0} s after the cut and came back {(outage.Resumed.At - isolatedAt).TotalSeconds:0.0} s after it"
        );
        await writer.WaitForMoreAsync(100);

        await set.MustRunAsync("heal", "mysql-0");
        var acknowledged = await run.FinishWritingAsync(FailoverRun.OthersThan(0));
        await run.RejoinedOrErrantAsync(0, acknowledged);
        Assert.True(await run.ReadOnlyAsync(0), "the healed old primary is read-only");
        Assert.Equal(next, set.LeaseFromFile());

        Assert.Empty(await run.StopSamplingAsync());
        Assert.DoesNotContain(run.Sampler.Samples, s => s.At > fresh && s.Writable.Contains(0));
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task A_short_flap_between_the_primary_and_the_Lease_store_changes_no_term()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);
        var failuresBefore = await run.MetricAsync(0, RenewFailures);

        await set.MustRunAsync("isolate", "mysql-0");
        var isolatedAt = writer.Now;
        await set.WaitUntilAsync(
            $"mysql-0's agent counts a failed renewal ({RenewFailures})",
            async () => await run.MetricAsync(0, RenewFailures) > failuresBefore
        );
        await set.MustRunAsync("heal", "mysql-0");
        output.WriteLine(
            $"mysql-0 cut off from the Lease store for {(writer.Now - isolatedAt).TotalSeconds:0.0} s"
        );

        await writer.WaitForMoreAsync(100);
        Assert.False(await run.ReadOnlyAsync(0), "mysql-0 is still the writable primary");
        await run.FinishWritingAsync([0, 1, 2]);
        var lease = set.LeaseFromFile()!;
        Assert.Equal(("mysql-0", run.First.Term), (lease.Holder, lease.Term));
        output.WriteLine(
            $"longest write pause around the flap: {writer.LongestPause(isolatedAt, writer.Now).TotalMilliseconds:0} ms"
        );

        Assert.Empty(await run.StopSamplingAsync());
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task A_switchover_to_a_lagging_target_fails_and_the_primary_stays_writable_in_the_same_term()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        // mysql-2's applier waits for this lock on the writer's table; its IO thread still receives.
        await using (var hold = await HoldWriterTableAsync(set, 2))
        {
            await writer.WaitForMoreAsync(200);
            var asked = writer.Now;
            var switchover = await set.RunAsync("switchover", "--to", "mysql-2");
            output.WriteLine(
                $"switchover to the lagging mysql-2 ended after {(writer.Now - asked).TotalSeconds:0.0} s with exit code {switchover.ExitCode}"
            );
            if (switchover.ExitCode == 0)
            {
                // The evidence of the agents' side before the case fails.
                await set.DumpLogsAsync();
            }

            Assert.NotEqual(0, switchover.ExitCode);
            // The agent's one-line reason is its log line, which mysql-local passes on as it comes.
            Assert.Contains(
                (switchover.StandardOutput + "\n" + switchover.StandardError).Split('\n'),
                l =>
                    l.Contains("refused", StringComparison.OrdinalIgnoreCase)
                    || l.Contains("aborted", StringComparison.OrdinalIgnoreCase)
            );

            var lease = set.LeaseFromFile()!;
            Assert.Equal(("mysql-0", run.First.Term), (lease.Holder, lease.Term));
            await set.WaitUntilAsync(
                "mysql-0 is writable again",
                async () => !await run.ReadOnlyAsync(0)
            );
            var resumed = await writer.FirstAfterAsync(writer.Now);
            output.WriteLine(
                $"write pause of the failed switchover: {writer.LongestPause(asked, resumed.At).TotalMilliseconds:0} ms"
            );
        }

        await run.FinishWritingAsync([0, 1, 2]);
        Assert.Equal(run.First, set.LeaseFromFile());

        Assert.Empty(await run.StopSamplingAsync());
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_mysql_1_behind_the_more_advanced_mysql_2_takes_over_when_the_primary_freezes()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        // mysql-1 stops receiving: what it lacks is in no log of its own.
        await using (var connection = await set.ConnectAsync(1))
        {
            await Sql.ExecuteAsync(connection, "STOP SLAVE IO_THREAD");
        }

        await writer.WaitForMoreAsync(200);
        var (next, _) = await run.FailOverAsync(
            run.First,
            "mysql-0 frozen with mysql-1 behind",
            () => set.MustRunAsync("freeze", "mysql-0")
        );
        Assert.Equal("mysql-2", next.Holder);
        var acknowledged = await run.FinishWritingAsync([2, 1]);

        await set.MustRunAsync("thaw", "mysql-0");
        await run.RejoinedOrErrantAsync(0, acknowledged);
        Assert.True(await run.ReadOnlyAsync(0));
        Assert.Equal(next, set.LeaseFromFile());

        await AssertNeverTwoWritableBesidesAsync(run, frozen: 0);
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task A_candidate_lost_between_winning_and_promoting_is_replaced_in_a_later_term()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        // Both replicas' appliers wait for these locks, so whichever wins cannot finish promoting.
        var holds = new Dictionary<int, MySqlConnection>
        {
            [1] = await HoldWriterTableAsync(set, 1),
            [2] = await HoldWriterTableAsync(set, 2),
        };
        try
        {
            await writer.WaitForMoreAsync(100);
            await set.MustRunAsync("freeze", "mysql-0");
            var frozenAt = writer.Now;
            var winner = await set.WaitForLeaseAsync(
                "a replica holds the Lease in a new term, its fork point not recorded yet",
                l =>
                    l.Term > run.First.Term
                    && l.Holder is "mysql-1" or "mysql-2"
                    && !run.ForkPointRecorded(l.Term)
            );
            output.WriteLine(
                $"{winner.Holder} won term {winner.Term} {(writer.Now - frozenAt).TotalSeconds:0.0} s after the freeze and waits for its relay log"
            );

            // The winner goes away for good before promoting; the other replica may apply again.
            await set.MustRunAsync("freeze", winner.Holder);
            var lostAt = writer.Now;
            var other = winner.HolderOrdinal == 1 ? 2 : 1;
            await holds[other].DisposeAsync();
            holds.Remove(other);

            var next = await run.WaitForNewPrimaryAsync(winner);
            var resumed = await writer.FirstAfterAsync(lostAt);
            output.WriteLine(
                $"failover: {next.Holder} in term {next.Term}; writes came back {(resumed.At - lostAt).TotalSeconds:0.0} s after the winner froze"
            );
            Assert.Equal($"mysql-{other}", next.Holder);
            await run.FinishWritingAsync([other]);
            Assert.Equal(
                [other],
                (await run.WritableNowAsync()).Where(o => o == other || o == winner.HolderOrdinal)
            );
        }
        finally
        {
            foreach (var hold in holds.Values)
            {
                await hold.DisposeAsync();
            }
        }

        await AssertNeverTwoWritableBesidesAsync(run, frozen: 0);
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task Three_failovers_in_a_row_each_start_the_next_term_and_lose_no_acknowledged_write()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);
        var current = run.First;
        var errant = new HashSet<int>();

        for (var round = 1; round <= 3; round++)
        {
            // The primary's mysqld goes down and stays down until a replica has taken over.
            var old = current.HolderOrdinal;
            var blocker = run.KeepMysqldDown(current.Holder);
            var (next, _) = await run.FailOverAsync(
                current,
                $"round {round}: {current.Holder}'s mysqld killed, kept down",
                async () =>
                    Processes.Kill9((await set.PodAsync(current.Holder)).Pid("mysql")!.Value)
            );
            Assert.Equal(current.Term + 1, next.Term);
            await writer.WaitForMoreAsync(100);

            File.Delete(blocker);
            var ids = writer.Acknowledged.Select(w => w.Id).ToList();
            if (await run.RejoinedOrErrantAsync(old, ids))
            {
                errant.Add(old);
                output.WriteLine(
                    $"round {round}: {current.Holder} came back errant (allowed); it is no candidate any more"
                );
            }
            else
            {
                errant.Remove(old);
            }

            current = next;
        }

        var acknowledged = await run.StopWritingAsync();
        await run.AssertOnPodsAsync(
            acknowledged,
            Enumerable.Range(0, FailoverRun.Pods).Where(o => !errant.Contains(o)).ToList()
        );
        Assert.Equal(current, set.LeaseFromFile());
        Assert.Equal([current.HolderOrdinal], await run.WritableNowAsync());

        Assert.Empty(await run.StopSamplingAsync());
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_failover_paused_a_frozen_primary_keeps_the_Lease_until_resume()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        await set.MustRunAsync("pause");
        Assert.Contains(
            "failover paused",
            (await set.MustRunAsync("status")).StandardOutput,
            StringComparison.Ordinal
        );
        await set.WaitUntilAsync(
            "mysql-1's agent exports the pause (mysql_agent_failover_paused 1)",
            async () => await run.MetricAsync(1, "mysql_agent_failover_paused") == 1
        );
        await set.MustRunAsync("freeze", "mysql-0");
        var frozenAt = writer.Now;

        // The event that stands for "the Lease expired and nobody took it": both replicas' agents
        // log the paused step, which they reach only once the Lease has been silent a whole lease.
        foreach (var replica in new[] { "mysql-1", "mysql-2" })
        {
            await set.WaitUntilAsync(
                $"{replica}'s agent sees the Lease expired with failover paused",
                () =>
                    Task.FromResult(
                        set.Log(replica, "agent")
                            .Contains("failover is paused", StringComparison.Ordinal)
                    )
            );
        }

        output.WriteLine(
            $"both replicas saw the expired Lease paused {(writer.Now - frozenAt).TotalSeconds:0.0} s after the freeze"
        );
        Assert.Equal(run.First, set.LeaseFromFile());

        await set.MustRunAsync("resume");
        var resumedAt = writer.Now;
        var next = await run.WaitForNewPrimaryAsync(run.First);
        var back = (await writer.OutageAfterAsync(frozenAt)).Resumed;
        output.WriteLine(
            $"resumed: {next.Holder} holds term {next.Term}; writes came back {(back.At - resumedAt).TotalSeconds:0.0} s after the resume"
        );
        await writer.WaitForMoreAsync(100);

        await set.MustRunAsync("thaw", "mysql-0");
        var acknowledged = await run.FinishWritingAsync(FailoverRun.OthersThan(0));
        await run.RejoinedOrErrantAsync(0, acknowledged);
        Assert.True(await run.ReadOnlyAsync(0), "the thawed old primary is read-only");
        Assert.Equal(next, set.LeaseFromFile());
        await AssertNeverTwoWritableBesidesAsync(run, frozen: 0);
    }

    /// <summary>
    /// No sample may show two writable pods outside the first second after the frozen pod's thaw
    /// (see <see cref="WritableSampler"/>: a frozen pod is silent, not writable, and what it answers
    /// as it resumes is counted apart and only printed). Stops the sampler.
    /// </summary>
    private async Task AssertNeverTwoWritableBesidesAsync(FailoverRun run, int frozen)
    {
        var split = await run.StopSamplingAsync();
        Assert.True(
            split.Count == 0,
            $"{split.Count} samples with two writable pods outside a thaw window, the first at {(split.Count > 0 ? split[0].At.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "-")} s"
        );
        output.WriteLine(
            $"{run.Sampler.TwoWritableInThawWindow.Count} samples with two writable pods in the first second after mysql-{frozen}'s thaw (not asserted)"
        );
    }

    /// <summary>
    /// Takes <c>LOCK TABLES … WRITE</c> on the writer's table on a pod's mysqld as root, so its
    /// applier waits; disposing the connection releases it.
    /// </summary>
    private static async Task<MySqlConnection> HoldWriterTableAsync(LocalSet set, int ordinal)
    {
        var connection = await set.ConnectAsync(ordinal);
        try
        {
            await Sql.ExecuteAsync(connection, $"LOCK TABLES {RowWriter.Table} WRITE");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
