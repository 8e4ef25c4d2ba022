using System.Diagnostics;
using MysqlAgent.Commands;
using MysqlAgent.TestSupport;
using MySqlConnector;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Election;

/// <summary>
/// <c>mysql-agent switchover --to mysql-2</c> against three real mariadbd servers and their
/// agents: the primary's agent hands over under a steady writer, nothing acknowledged is lost, and
/// the write pause is printed (a figure, not an assertion).
/// </summary>
[Trait("Category", "Slow")]
public sealed class SwitchoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 400_000)]
    public async Task Switchover_hands_the_primary_role_to_the_named_replica_under_writes_without_losing_one()
    {
        await using var set = await ElectedSet.StartAsync(primaryStartTimeoutSeconds: 60);
        await using var sampler = new SplitBrainSampler(set);
        await set.WaitUntilAllReadyAsync();
        await ElectedSet.CreateAppSchemaAsync(set.Servers[0]);

        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(() => WriteAsync(set, stopWriting.Token));
        await Eventually.UntilAsync(
            async () => (await ElectedSet.RowsAsync(set.Servers[2])).Count >= 20,
            "mysql-2 has 20 rows of the writer"
        );

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await AgentCommandLine.RunAsync(
            [
                "switchover",
                "--hostname",
                "mysql-0",
                "--to",
                "mysql-2",
                "--lease-store",
                "file:" + set.LeaseFolder,
                .. ElectedSet.Timings,
            ],
            stdout,
            stderr,
            _ => null,
            CancellationToken.None
        );
        output.WriteLine(stderr.ToString());
        Assert.Equal(ExitCodes.Success, code);

        await Eventually.UntilAsync(
            async () => await ElectedSet.WritableAsync(set.Servers[2]) && set.Role(2).IsPrimary,
            "mysql-2 is writable and its agent reports primary",
            Wait
        );
        var acknowledged = await StopAsync(stopWriting, writer);
        output.WriteLine(
            $"{acknowledged.Rows.Count} rows acknowledged; write pause {acknowledged.PauseMs} ms "
                + "(last acknowledged write on mysql-0 to the first on mysql-2)"
        );

        var status = await set.StatusAsync(2);
        Assert.Equal(2, status.GetProperty("term").GetInt64());
        Assert.Equal(
            1,
            await set.Agents[0].MetricAsync("mysql_agent_switchovers_total", ("result", "done"))
        );
        Assert.False(await ElectedSet.WritableAsync(set.Servers[0]));
        foreach (var ordinal in new[] { 0, 1 })
        {
            await Eventually.UntilAsync(
                async () =>
                    (await ElectedSet.RowsAsync(set.Servers[ordinal])).IsSupersetOf(
                        acknowledged.Rows
                    ),
                $"mysql-{ordinal} replicates every acknowledged row from mysql-2",
                Wait
            );
        }

        Assert.True((await ElectedSet.RowsAsync(set.Servers[2])).IsSupersetOf(acknowledged.Rows));
        await sampler.StopAsync();
        Assert.Empty(sampler.Doubles);
    }

    [Fact(Timeout = 400_000)]
    public async Task A_stopping_primarys_prestop_hook_hands_its_role_over_and_a_replicas_answers_at_once()
    {
        await using var set = await ElectedSet.StartAsync(primaryStartTimeoutSeconds: 60);
        await using var sampler = new SplitBrainSampler(set);
        await set.WaitUntilAllReadyAsync();
        await ElectedSet.CreateAppSchemaAsync(set.Servers[0]);
        await ElectedSet.InsertAsync(set.Servers[0], 1);

        var (replicaCode, replicaAnswer) = await set.Agents[1].GetTextAsync("/prestop");
        Assert.Equal(System.Net.HttpStatusCode.OK, replicaCode);
        Assert.Equal("not the primary: nothing to hand over", replicaAnswer);
        Assert.Equal(1, (await set.StatusAsync(0)).GetProperty("term").GetInt64());

        var (code, answer) = await set.Agents[0].GetTextAsync("/prestop");
        output.WriteLine(answer);
        Assert.Equal(System.Net.HttpStatusCode.OK, code);
        var handed = System.Text.RegularExpressions.Regex.Match(
            answer,
            "^stopping: handed the primary role to mysql-([12]) in term 2$"
        );
        Assert.True(handed.Success, answer);
        var next = int.Parse(
            handed.Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture
        );
        var holder = $"mysql-{next}";
        await Eventually.UntilAsync(
            async () => await ElectedSet.WritableAsync(set.Servers[next]),
            $"{holder} is writable",
            Wait
        );
        Assert.False(await ElectedSet.WritableAsync(set.Servers[0]));
        Assert.Contains(1, await ElectedSet.RowsAsync(set.Servers[next]));

        // The second hook of the pod (the other container's) gets the same answer, not a second switchover.
        Assert.Equal(answer, (await set.Agents[0].GetTextAsync("/prestop")).Body);
        await sampler.StopAsync();
        Assert.Empty(sampler.Doubles);
    }

    private sealed record Written(HashSet<int> Rows, long PauseMs);

    private static async Task<Written> StopAsync(CancellationTokenSource stop, Task<Written> writer)
    {
        await stop.CancelAsync();
        return await writer;
    }

    /// <summary>Writes a row every 20 ms to whichever server takes it, mysql-0 first, then mysql-2.</summary>
    private static async Task<Written> WriteAsync(ElectedSet set, CancellationToken stop)
    {
        var rows = new HashSet<int>();
        long lastOnOld = 0;
        long firstOnNew = 0;
        var id = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var next = ++id;
                foreach (var ordinal in new[] { 0, 2 })
                {
                    try
                    {
                        await ElectedSet.InsertAsync(set.Servers[ordinal], next);
                    }
                    catch (MySqlException)
                    {
                        continue;
                    }

                    rows.Add(next);
                    if (ordinal == 0)
                    {
                        lastOnOld = Stopwatch.GetTimestamp();
                    }
                    else if (firstOnNew == 0)
                    {
                        firstOnNew = Stopwatch.GetTimestamp();
                    }

                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }

        var pause =
            firstOnNew == 0 || lastOnOld == 0
                ? -1
                : (long)Stopwatch.GetElapsedTime(lastOnOld, firstOnNew).TotalMilliseconds;
        return new Written(rows, pause);
    }
}
