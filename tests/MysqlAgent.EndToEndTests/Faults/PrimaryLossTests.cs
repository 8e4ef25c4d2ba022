using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CliWrap;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Faults;

/// <summary>
/// Reads survive the loss of the primary: with mysql-0 frozen (a hung node) or its mysqld killed and
/// kept down, for 20 s with the default <c>--max-lag-seconds 30</c>, both replicas answer every read
/// and stay ready, because their readiness follows the measured staleness of the primary's heartbeat
/// rather than the IO thread's state. Afterwards writes resume and no acknowledged row is lost. Each
/// test prints its timeline: readiness as the kubelet sees it, and each replica's reason and staleness.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class PrimaryLossTests(ITestOutputHelper output)
{
    private const int Patient = 900_000;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly int[] Replicas = [1, 2];

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primary_frozen_for_20_s_both_replicas_serve_every_read_and_stay_ready_then_writes_resume()
    {
        var (set, _) = await LocalSets.UpAsync(output, extraArguments: [LocalSets.FixedPrimary]);
        await using (set)
        {
            await using var writer = await StartLoadAsync(set);
            await using var reads = new Reads(set);
            var primary = await set.PodAsync("mysql-0");
            int[] frozen = [primary.Pid("mysql")!.Value, primary.Pid("agent")!.Value];

            await SignalAsync("STOP", frozen);
            output.WriteLine(
                $"froze mysql-0's mysqld and agent (pids {string.Join(", ", frozen)})"
            );
            var thaw = AfterOutageAsync(async () =>
            {
                await SignalAsync("CONT", frozen);
                output.WriteLine("thawed mysql-0");
            });
            IReadOnlyList<Step> outage;
            try
            {
                outage = await ObserveAsync(set, "frozen", _ => thaw.IsCompleted);
            }
            finally
            {
                await thaw;
            }

            AssertReplicasServedThroughout(outage, reads);
            await RecoverAsync(set, writer, reads);
        }
    }

    [Fact(Timeout = Patient)]
    [Trait("Category", "Slow")]
    public async Task With_the_primarys_mysqld_killed_and_kept_down_for_20_s_both_replicas_serve_every_read_and_stay_ready_then_writes_resume()
    {
        var (set, _) = await LocalSets.UpAsync(output, extraArguments: [LocalSets.FixedPrimary]);
        await using (set)
        {
            await using var writer = await StartLoadAsync(set);
            await using var reads = new Reads(set);
            var mysqld = (await set.PodAsync("mysql-0")).Pid("mysql")!.Value;

            // Kept down the way a broken config keeps a pod in CrashLoopBackOff: every restart of
            // mariadbd by the kubelet fails at once on an option it does not know.
            var blocker = Path.Combine(set.PodDir("mysql-0"), "conf.d", "zz-e2e-keep-down.cnf");
            await File.WriteAllTextAsync(blocker, "[mysqld]\ne2e-keep-mysqld-down=1\n");
            Processes.Kill9(mysqld);
            output.WriteLine(
                $"killed mysql-0's mysqld {mysqld}; its restarts fail until {blocker} goes"
            );
            var release = AfterOutageAsync(() =>
            {
                File.Delete(blocker);
                output.WriteLine("mysql-0's mysqld may start again");
                return Task.CompletedTask;
            });
            IReadOnlyList<Step> outage;
            try
            {
                outage = await ObserveAsync(set, "killed", _ => release.IsCompleted);
            }
            finally
            {
                await release;
            }

            Assert.True(
                (await set.PodAsync("mysql-0")).Restarts("mysql") >= 1,
                "the kubelet tried to restart the killed mysqld"
            );
            AssertReplicasServedThroughout(outage, reads);
            await RecoverAsync(set, writer, reads);
        }
    }

    /// <summary>Ends the outage <see cref="Outage"/> from now, however long each observation takes.</summary>
    private static async Task AfterOutageAsync(Func<Task> end)
    {
        try
        {
            using var timer = new PeriodicTimer(Outage);
            await timer.WaitForNextTickAsync();
        }
        finally
        {
            await end();
        }
    }

    private static async Task<RowWriter> StartLoadAsync(LocalSet set)
    {
        var writer = await RowWriter.StartAsync(set);
        await writer.WaitForMoreAsync(50);
        // Heartbeats have reached both replicas: readiness follows staleness from here on.
        await set.WaitUntilAsync(
            "both replicas report their staleness and hold the written table",
            async () =>
            {
                foreach (var ordinal in Replicas)
                {
                    if ((await AgentStatusAsync(set, ordinal)).Staleness is null)
                    {
                        return false;
                    }

                    await using var connection = await set.ConnectAsync(ordinal);
                    if (
                        await Sql.ScalarAsync<long>(
                            connection,
                            $"SELECT COUNT(*) FROM {RowWriter.Table}"
                        ) == 0
                    )
                    {
                        return false;
                    }
                }

                return true;
            }
        );
        return writer;
    }

    private void AssertReplicasServedThroughout(IReadOnlyList<Step> outage, Reads reads)
    {
        Assert.NotEmpty(outage);
        foreach (var step in outage)
        {
            foreach (var ordinal in Replicas)
            {
                Assert.True(
                    step.KubeletReady[ordinal],
                    $"mysql-{ordinal} not ready (kubelet) at {step.At:0.0} s: {step.Agents[ordinal].Reason}"
                );
                Assert.True(
                    step.Agents[ordinal].Ready,
                    $"mysql-{ordinal} not ready at {step.At:0.0} s: {step.Agents[ordinal].Reason}"
                );
            }
        }

        // The replicas did notice that their source was gone: before heartbeats, this made them unready.
        foreach (var ordinal in Replicas)
        {
            Assert.Contains(outage, s => s.Agents[ordinal].Unreachable is not null);
        }

        reads.AssertNoErrors(output);
    }

    private async Task RecoverAsync(LocalSet set, RowWriter writer, Reads reads)
    {
        await ObserveAsync(
            set,
            "after",
            _ => false,
            until: steps => steps.Count > 0 && steps[^1].KubeletReady.Values.All(r => r)
        );
        await writer.WaitForMoreAsync(100);
        var acknowledged = await writer.StopAsync();
        output.WriteLine(
            $"writer: {acknowledged.Count} rows acknowledged, {writer.Errors} errors while the primary was away"
        );
        await Consistency.WaitForSameRowsAsync(set, 3, RowWriter.Table);
        for (var ordinal = 0; ordinal < 3; ordinal++)
        {
            await Consistency.AssertHoldsAsync(set, ordinal, acknowledged, acknowledged[^1] + 1);
        }

        await reads.StopAsync();
        reads.AssertNoErrors(output);
    }

    /// <summary>Once a second: readiness as the kubelet sees it, and each replica's /status, printed as a timeline.</summary>
    private async Task<IReadOnlyList<Step>> ObserveAsync(
        LocalSet set,
        string phase,
        Func<Stopwatch, bool> enough,
        Func<IReadOnlyList<Step>, bool>? until = null
    )
    {
        var steps = new List<Step>();
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            var pods = await set.StatusAsync();
            var agents = new Dictionary<int, AgentView>();
            foreach (var ordinal in Replicas)
            {
                agents[ordinal] = await AgentStatusAsync(set, ordinal);
            }

            var step = new Step(
                clock.Elapsed.TotalSeconds,
                pods.ToDictionary(p => p.Ordinal, p => p.Ready),
                agents
            );
            steps.Add(step);
            output.WriteLine($"[{phase} {step.At, 5:0.0} s] {step}");
            if (until is not null && until(steps))
            {
                break;
            }

            if (clock.Elapsed > LocalSet.Patience)
            {
                Assert.Fail($"{phase}: the set did not settle within {LocalSet.Patience}");
            }
        } while (!enough(clock) && await timer.WaitForNextTickAsync());

        return steps;
    }

    private static async Task<AgentView> AgentStatusAsync(LocalSet set, int ordinal)
    {
        var port = LocalSet.MysqlPort(set.BasePort, ordinal) + 2;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            var body = await http.GetStringAsync(
                new Uri(
                    string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/status")
                )
            );
            var json = JsonDocument.Parse(body).RootElement;
            return new AgentView(
                json.GetProperty("ready").GetBoolean(),
                json.GetProperty("readyReason").GetString() ?? "",
                Number(json, "stalenessSeconds"),
                Number(json, "sourceUnreachableSeconds")
            );
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new AgentView(false, "no answer: " + e.Message, null, null);
        }
    }

    private static double? Number(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    private static async Task SignalAsync(string signal, IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            await Cli.Wrap("kill")
                .WithArguments(["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])
                .ExecuteAsync();
        }
    }

    private sealed record AgentView(
        bool Ready,
        string Reason,
        double? Staleness,
        double? Unreachable
    );

    private sealed record Step(
        double At,
        IReadOnlyDictionary<int, bool> KubeletReady,
        IReadOnlyDictionary<int, AgentView> Agents
    )
    {
        public override string ToString()
        {
            var text = new StringBuilder();
            foreach (var (ordinal, ready) in KubeletReady.OrderBy(p => p.Key))
            {
                text.Append(
                    CultureInfo.InvariantCulture,
                    $"mysql-{ordinal} {(ready ? "ready" : "NOT READY")}"
                );
                if (Agents.TryGetValue(ordinal, out var agent))
                {
                    text.Append(
                        CultureInfo.InvariantCulture,
                        $" (stale {agent.Staleness?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} s: {agent.Reason})"
                    );
                }

                text.Append(" | ");
            }

            return text.ToString().TrimEnd(' ', '|');
        }
    }

    /// <summary>A read load on each replica for the whole test.</summary>
    private sealed class Reads(LocalSet set) : IAsyncDisposable
    {
        private readonly ReadLoad[] _loads = [.. Replicas.Select(o => ReadLoad.Start(set, o))];

        public void AssertNoErrors(ITestOutputHelper output)
        {
            foreach (var load in _loads)
            {
                output.WriteLine(
                    $"reads on mysql-{load.Ordinal}: {load.Reads} succeeded, {load.Errors.Count} failed, longest gap {load.LongestGap.TotalMilliseconds:0} ms"
                );
                Assert.True(
                    load.Errors.Count == 0,
                    $"reads on mysql-{load.Ordinal} failed: {string.Join("; ", load.Errors.Take(5))}"
                );
                Assert.True(load.Reads > 0);
            }
        }

        public async Task StopAsync()
        {
            foreach (var load in _loads)
            {
                await load.StopAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var load in _loads)
            {
                await load.DisposeAsync();
            }
        }
    }
}
