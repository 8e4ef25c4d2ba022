using System.Diagnostics;
using System.Text;
using MysqlAgent.TestSupport;
using MysqlAgent.TestSupport.Failover;
using MySqlConnector;

namespace MysqlBench.Failover;

/// <summary>
/// <c>./dev bench --failover</c>: N runs, each on a fresh local set with the agents' default
/// election timings. Under a writer through mysql-primary and a sampler of every pod's
/// <c>@@read_only</c>, each run hands the primary over (<c>switchover --to</c> a replica), then
/// freezes the new primary (<c>freeze</c>: SIGSTOP of its agent and mysqld), waits for writes to
/// come back through another pod, thaws it, and checks that every acknowledged write is on every
/// pod that follows the new primary.
/// </summary>
internal sealed class FailoverBench(BenchOptions options, Workspace work, TextWriter log)
{
    /// <summary>The agent's defaults (ElectionTimings.Default and --primary-start-timeout-seconds): the bench passes no --agent-arg.</summary>
    public const string Timings =
        "agent defaults (no --agent-arg): lease 15 s, renew deadline 10 s, retry period 2 s, fence budget 3 s, primary start timeout 10 s";

    public const string Method =
        "failover: from the node's stop (the last write acknowledged before the writer's first failure, within the run of 'mysql-local freeze <holder>', which SIGSTOPs its agent and mysqld) to the first write acknowledged through mysql-primary after that failure (the writer gives up on a silent server after 5 s; after an error it opens a new connection, another attempt starting every 100 ms until one answers); "
        + "switchover pause: the longest gap between two acknowledged writes from the 'switchover --to' request until the first write after the Lease moved; "
        + "lost: acknowledged ids missing, after replication caught up (2 min deadline), on the new primary or a pod following it (a thawed old primary marked errant by its agent re-clones and is not counted); "
        + "two writable: samples every 100 ms of each pod's @@read_only in which two pods answered writable within the last 1 s; a pod silent for longer (frozen) or whose question failed is not counted writable, and samples that would show two if its last answer stood are reported apart; "
        + "so are the samples in the first second after the thaw in which the thawed pod is one of the two (its mysqld answers the question it held while stopped before its agent runs): the goal counts the others";

    public const int Pods = 3;

    private const string Table = "bench.failover";

    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);

    public async Task<FailoverResult> RunAsync(CancellationToken ct)
    {
        var loadBefore = LoadAverage();
        log.WriteLine($"  timings: {Timings}");
        log.WriteLine($"  load average at start: {loadBefore}");
        var runs = new List<FailoverRun>();
        for (var run = 1; run <= options.FailoverRuns; run++)
        {
            ct.ThrowIfCancellationRequested();
            var result = await RunOnceAsync(run, ct);
            runs.Add(result);
            log.WriteLine($"  run {run}/{options.FailoverRuns}: {Describe(result)}");
        }

        var loadAfter = LoadAverage();
        log.WriteLine($"  load average at end: {loadAfter}");
        return new FailoverResult(
            options.FailoverRuns,
            Timings,
            Method,
            loadBefore,
            loadAfter,
            FigureSummary.Of(
                runs.Where(r => r.FailoverSeconds is not null)
                    .Select(r => r.FailoverSeconds!.Value)
                    .ToList()
            ),
            FigureSummary.Of(
                runs.Where(r => r.SwitchoverPauseSeconds is not null)
                    .Select(r => r.SwitchoverPauseSeconds!.Value)
                    .ToList()
            ),
            runs.Sum(r => r.Lost),
            runs.Sum(r => r.Samples),
            runs.Sum(r => r.TwoWritable),
            runs.Sum(r => r.TwoWritableInThawWindow),
            runs.Sum(r => r.SamplesWithSilentPod),
            runs.Sum(r => r.TwoWritableCountingSilent),
            runs
        );
    }

    private static string Describe(FailoverRun r) =>
        $"up {r.UpSeconds:0} s; switchover to {r.SwitchoverTo}: pause {Seconds(r.SwitchoverPauseSeconds)} (Lease moved after {Seconds(r.SwitchoverLeaseMovedSeconds)}); "
        + $"{r.FrozenPod} frozen: Lease moved after {Seconds(r.FailoverLeaseMovedSeconds)}, writes back after {Seconds(r.FailoverSeconds)} through {(r.NewPrimary.Length > 0 ? r.NewPrimary : "?")} (term {r.Term}); "
        + $"{r.Acknowledged} acknowledged, {r.Lost} lost{(r.LostOn.Length > 0 ? $" ({r.LostOn})" : "")}; old primary {r.OldPrimary}; "
        + $"{r.Samples} samples, {r.TwoWritable} with two writable outside the thaw window, {r.TwoWritableInThawWindow} in it ({r.SamplesWithSilentPod} with a silent pod, {r.TwoWritableCountingSilent} two writable counting its last answer); "
        + $"{r.RunSeconds:0} s{(r.Error is null ? "" : $"; FAILED: {r.Error}")}";

    private static string Seconds(double? value) => value is { } v ? $"{v:0.00} s" : "-";

    private async Task<FailoverRun> RunOnceAsync(int run, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var logs = Path.GetFullPath(
            Path.Combine(Path.GetDirectoryName(options.Output) ?? ".", $"failover-run-{run}-logs")
        );
        var commands = new StringBuilder();
        var setOptions = new LocalSetOptions(
            options.LocalPath,
            options.InitPath,
            options.AgentPath,
            Repository.Of("manifests", "overlays", "mariadb"),
            line =>
            {
                lock (commands)
                {
                    commands.AppendLine(line);
                }
            }
        );
        LocalSet set;
        try
        {
            (set, _) = await LocalSet.UpAsync(
                setOptions,
                work.NewPath("local-set"),
                Pods,
                ["--failover"],
                ct
            );
        }
        catch (LocalSetException e)
        {
            KeepCommands(logs, commands);
            return Failed(
                run,
                total,
                $"the local set did not come up ({LastLine(e.Message)}); its logs are in {logs}"
            );
        }

        var upSeconds = total.Elapsed.TotalSeconds;
        var clock = Stopwatch.StartNew();
        var state = new RunState(run, upSeconds);
        string? frozen = null;
        await using (set)
        {
            try
            {
                await MeasureAsync(set, clock, state, pod => frozen = pod, ct);
            }
            catch (Exception e)
                when (e
                        is LocalSetException
                            or MySqlException
                            or IOException
                            or TimeoutException
                            or InvalidOperationException
                )
            {
                state.Error = LastLine(e.Message);
                set.KeepLogs(logs);
                KeepCommands(logs, commands);
                state.Error += $" (logs in {logs})";
            }
            finally
            {
                if (frozen is not null)
                {
                    await set.RunAsync(["thaw", frozen], CancellationToken.None);
                }
            }
        }

        return state.ToRun(total.Elapsed.TotalSeconds);
    }

    /// <summary>Every mysql-local command of the run and its output, beside the set's logs of a failed run.</summary>
    private static void KeepCommands(string folder, StringBuilder commands)
    {
        try
        {
            Directory.CreateDirectory(folder);
            lock (commands)
            {
                File.WriteAllText(
                    Path.Combine(folder, "mysql-local-commands.log"),
                    commands.ToString()
                );
            }
        }
        catch (IOException)
        {
            // A help for the reader, not a figure.
        }
        catch (UnauthorizedAccessException) { }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault()
        ?? "(no output)";

    private static FailoverRun Failed(int run, Stopwatch total, string error) =>
        new RunState(run, total.Elapsed.TotalSeconds) { Error = error }.ToRun(
            total.Elapsed.TotalSeconds
        );

    private static async Task MeasureAsync(
        LocalSet set,
        Stopwatch clock,
        RunState state,
        Action<string?> frozenPod,
        CancellationToken ct
    )
    {
        var first = await set.WaitForLeaseAsync(
            "a pod holds the Lease after up",
            l => l.Holder.Length > 0,
            Step,
            ct
        );
        await using var sampler = set.StartWritableSampler(clock);
        await using var writer = await PrimaryWriter.StartAsync(set, Table, clock, Step, ct);
        await writer.WaitForMoreAsync(100, Step, ct);

        // 1. Switchover to the next pod, under the writer.
        var target = LocalSet.Pod((LocalSet.Ordinal(first.Holder) + 1) % Pods);
        state.SwitchoverTo = target;
        var asked = clock.Elapsed;
        await set.MustRunAsync(["switchover", "--to", target], ct);
        var moved = await set.WaitForLeaseAsync(
            $"{target} holds the Lease after the switchover",
            l => l.Holder == target && l.Term > first.Term,
            Step,
            ct
        );
        var done = clock.Elapsed;
        var resumed = await writer.FirstAfterAsync(done, Step, ct);
        state.SwitchoverLeaseMoved = (done - asked).TotalSeconds;
        state.SwitchoverPause = writer.LongestPause(asked, resumed.At).TotalSeconds;
        await writer.WaitForMoreAsync(100, Step, ct);

        // 2. The primary stops: its agent and mysqld frozen.
        var holder = moved.Holder;
        state.FrozenPod = holder;
        var freezing = clock.Elapsed;
        frozenPod(holder);
        await set.MustRunAsync(["freeze", holder], ct);
        var frozenAt = clock.Elapsed;
        state.FreezeCommand = (frozenAt - freezing).TotalSeconds;
        var next = await set.WaitForLeaseAsync(
            $"another pod holds the Lease after {holder} froze",
            l => l.Term > moved.Term && l.Holder.Length > 0 && l.Holder != holder,
            Step,
            ct
        );
        var leaseSeen = clock.Elapsed;
        state.NewPrimary = next.Holder;
        state.Term = next.Term;
        // The node stopped somewhere in the freeze command's run (up to seconds under load), after
        // the last write it acknowledged: that write's time, kept within the command's run.
        var outage = await writer.OutageAfterAsync(freezing, Step, ct);
        var stopped =
            outage.LastBefore < freezing ? freezing
            : outage.LastBefore > frozenAt ? frozenAt
            : outage.LastBefore;
        state.FailoverLeaseMoved = (leaseSeen - stopped).TotalSeconds;
        state.Failover = (outage.Resumed.At - stopped).TotalSeconds;
        await writer.WaitForMoreAsync(100, Step, ct);

        // The set tells the sampler of the thaw: its window is counted apart.
        await set.MustRunAsync(["thaw", holder], ct);
        frozenPod(null);
        await writer.WaitForMoreAsync(100, Step, ct);
        var acknowledged = await writer.StopAsync();
        state.Acknowledged = acknowledged.Count;
        var counts = await sampler.StopAsync();
        state.Samples = counts.Samples;
        state.TwoWritable = counts.TwoWritable;
        state.TwoWritableInThawWindow = counts.TwoWritableInThawWindow;
        state.SamplesWithSilentPod = counts.WithSilentPod;
        state.TwoWritableCountingSilent = counts.TwoWritableCountingSilent;

        // 3. Every acknowledged write on the new primary and on every pod following it.
        var lost = new HashSet<long>();
        for (var ordinal = 0; ordinal < Pods; ordinal++)
        {
            var pod = LocalSet.Pod(ordinal);
            var isOldPrimary = pod == holder;
            var missing = await MissingAfterCatchUpAsync(
                set,
                ordinal,
                acknowledged,
                isOldPrimary,
                ct
            );
            if (missing is null)
            {
                state.OldPrimary = "errant (its agent asks for a re-clone from the new primary)";
                continue;
            }

            if (isOldPrimary)
            {
                state.OldPrimary =
                    missing.Count == 0
                        ? "rejoined, caught up"
                        : $"behind by {missing.Count} acknowledged writes after the deadline";
            }

            if (missing.Count > 0)
            {
                state.LostOn +=
                    $"{(state.LostOn.Length > 0 ? ", " : "")}{pod} lacks {missing.Count}";
            }

            lost.UnionWith(missing);
        }

        state.Lost = lost.Count;
    }

    /// <summary>
    /// The acknowledged ids the pod lacks once it caught up, or after the deadline; null for the
    /// old primary when its agent reports errant transactions (it follows no one).
    /// </summary>
    private static async Task<IReadOnlyList<long>?> MissingAfterCatchUpAsync(
        LocalSet set,
        int ordinal,
        IReadOnlyList<long> acknowledged,
        bool mayBeErrant,
        CancellationToken ct
    )
    {
        IReadOnlyList<long> missing = acknowledged;
        var errant = false;
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    missing = await MissingAsync(set, ordinal, acknowledged, ct);
                    if (missing.Count == 0)
                    {
                        return true;
                    }

                    errant = mayBeErrant && await set.ErrantAsync(ordinal, ct);
                    return errant;
                },
                $"{LocalSet.Pod(ordinal)} holds all {acknowledged.Count} acknowledged writes",
                Step,
                cancellationToken: ct
            );
        }
        catch (TimeoutException)
        {
            // Counted: what is still missing after the deadline.
        }

        return errant ? null : missing;
    }

    private static async Task<IReadOnlyList<long>> MissingAsync(
        LocalSet set,
        int ordinal,
        IReadOnlyList<long> acknowledged,
        CancellationToken ct
    )
    {
        await using var connection = await set.ConnectAsync(ordinal, ct);
        await using var command = new MySqlCommand($"SELECT id FROM {Table}", connection)
        {
            CommandTimeout = 30,
        };
        var present = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            present.Add(reader.GetInt64(0));
        }

        return acknowledged.Where(id => !present.Contains(id)).ToList();
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
