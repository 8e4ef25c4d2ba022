using System.Text.RegularExpressions;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Faults;

/// <summary>
/// kill -9 of each process type at its worst moment. Every time the set converges: all pods ready,
/// the same rows everywhere, every acknowledged row kept, none twice.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class KillTests(ITestOutputHelper output)
{
    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task The_donor_agent_killed_while_it_serves_a_backup_is_restarted_and_the_clone_completes()
    {
        var (set, _) = await LocalSets.UpAsync(output, extraArguments: [LocalSets.FixedPrimary]);
        await using (set)
        {
            await BulkData.AddAsync(set, 48);
            var donor = await set.PodAsync("mysql-2");
            var donorAgent = donor.Pid("agent")!.Value;
            await set.MustRunAsync("scale", "4", "--no-wait");

            // The moment the donor's agent runs mariabackup and mysql-3 already extracts its stream.
            int? backup = null;
            await set.WaitUntilAsync(
                "mysql-2's agent streams a backup that mysql-3 extracts",
                () =>
                    Task.FromResult(
                        (backup = Processes.ChildNamed(donorAgent, "--backup")) is not null
                            && set.Log("mysql-3", "clone")
                                .Contains(
                                    "extracting the stream from mysql-2",
                                    StringComparison.Ordinal
                                )
                    ),
                TimeSpan.FromMinutes(2)
            );
            Processes.Kill9(donorAgent);
            output.WriteLine($"killed mysql-2's agent {donorAgent} while its backup {backup} ran");

            await set.MustRunAsync("scale", "4");
            var clone = set.Log("mysql-3", "clone");
            output.WriteLine($"--- mysql-3 clone ---\n{clone}");
            Assert.Contains(
                "clone attempt 1 from donor mysql-2.mysql:3307 failed",
                clone,
                StringComparison.Ordinal
            );
            Assert.Matches("clone complete from mysql-[0-2]\\.mysql:3307", clone);
            Assert.True(
                (await set.PodAsync("mysql-2")).Restarts("agent") >= 1,
                "the kubelet restarted the killed agent"
            );
            await set.WaitUntilAsync(
                "the orphaned backup tool is gone",
                () => Task.FromResult(!Processes.IsAlive(backup!.Value))
            );
            await AssertConvergedAsync(set, 4, BulkData.Table);
        }
    }

    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task The_clone_killed_while_it_extracts_leaves_no_datadir_that_boots_and_clones_again()
    {
        var (set, _) = await LocalSets.UpAsync(output, extraArguments: [LocalSets.FixedPrimary]);
        await using (set)
        {
            await BulkData.AddAsync(set, 48);
            await set.MustRunAsync("scale", "4", "--no-wait");
            var target = set.PodDir("mysql-3") + "/data";
            int? clonePid = null;
            await set.WaitUntilAsync(
                "mysql-3's clone extracts",
                () =>
                {
                    var clones = Processes.Matching("clone", "--data-dir=" + target);
                    clonePid = clones.FirstOrDefault(pid =>
                        Processes.ChildNamed(pid, "mbstream") is not null
                    );
                    return Task.FromResult(clonePid is > 0);
                }
            );
            Processes.Kill9(clonePid!.Value);
            output.WriteLine($"killed mysql-3's clone {clonePid} while mbstream ran");

            await set.MustRunAsync("scale", "4");
            var log = set.Log("mysql-3", "clone");
            output.WriteLine($"--- mysql-3 clone ---\n{log}");
            Assert.Contains(
                $"container clone (pid {clonePid}) exited with code 137",
                log,
                StringComparison.Ordinal
            );
            Assert.Contains("cleaning the datadir before cloning", log, StringComparison.Ordinal);
            Assert.Equal(1, Regex.Count(log, "clone complete from"));
            Assert.True((await set.PodAsync("mysql-3")).Restarts("clone") >= 1);
            await AssertConvergedAsync(set, 4, BulkData.Table);
        }
    }

    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task A_replicas_mysqld_killed_under_load_restarts_and_catches_up_without_losing_or_repeating_rows()
    {
        var (set, _) = await LocalSets.UpAsync(output, extraArguments: [LocalSets.FixedPrimary]);
        await using (set)
        {
            await using var writer = await RowWriter.StartAsync(set);
            await writer.WaitForMoreAsync(100);
            var mysqld = (await set.PodAsync("mysql-1")).Pid("mysql")!.Value;
            Processes.Kill9(mysqld);
            output.WriteLine($"killed mysql-1's mysqld {mysqld}");

            await set.WaitUntilAsync(
                "mysql-1's mysqld runs again and the pod is ready",
                async () =>
                    (await set.PodAsync("mysql-1")) is { Ready: true } pod
                    && pod.Restarts("mysql") >= 1
            );
            await writer.WaitForMoreAsync(100);
            var acknowledged = await writer.StopAsync();
            Assert.Equal(0, writer.Errors);
            await AssertRowsAsync(set, 3, acknowledged);
        }
    }

    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task The_primarys_mysqld_killed_under_load_restarts_and_every_acknowledged_row_reaches_every_pod()
    {
        var (set, _) = await LocalSets.UpAsync(output, extraArguments: [LocalSets.FixedPrimary]);
        await using (set)
        {
            await using var writer = await RowWriter.StartAsync(set);
            await writer.WaitForMoreAsync(100);
            var mysqld = (await set.PodAsync("mysql-0")).Pid("mysql")!.Value;
            Processes.Kill9(mysqld);
            output.WriteLine($"killed mysql-0's mysqld {mysqld}");

            await set.WaitUntilAsync(
                "mysql-0's mysqld runs again and the pod is ready",
                async () =>
                    (await set.PodAsync("mysql-0")) is { Ready: true } pod
                    && pod.Restarts("mysql") >= 1
            );
            await writer.WaitForMoreAsync(100);
            var acknowledged = await writer.StopAsync();
            Assert.True(writer.Errors > 0, "the writer saw the primary go away");
            await AssertRowsAsync(set, 3, acknowledged);
            await set.WaitUntilAsync(
                "every pod is ready again",
                async () => (await set.StatusAsync()).All(p => p.Ready)
            );
        }
    }

    private static async Task AssertRowsAsync(
        LocalSet set,
        int pods,
        IReadOnlyList<long> acknowledged
    )
    {
        await Consistency.WaitForSameRowsAsync(set, pods, RowWriter.Table);
        for (var ordinal = 0; ordinal < pods; ordinal++)
        {
            await Consistency.AssertHoldsAsync(set, ordinal, acknowledged, acknowledged[^1] + 1);
        }
    }

    private static async Task AssertConvergedAsync(LocalSet set, int pods, string table)
    {
        var status = await set.StatusAsync();
        Assert.Equal(pods, status.Count(p => p.Ready));
        await using (var connection = await set.ConnectAsync(0))
        {
            await Sql.ExecuteAsync(
                connection,
                $"INSERT INTO {table} (payload) VALUES ('after the fault')"
            );
        }

        var rows = await Consistency.WaitForSameRowsAsync(set, pods, table);
        Assert.True(rows > 48 * 1024, $"{rows} rows");
    }
}
