using System.Diagnostics;
using System.Text;
using MysqlAgent.TestSupport;
using MysqlAgent.TestSupport.Failover;
using MySqlConnector;

namespace MysqlBench.Failover;

/// <summary>
/// <c>./dev bench --failover</c>: N runs of each <see cref="FailoverScenario"/>, each on a fresh
/// local set with the agents' default election timings. Under a writer through mysql-primary and a
/// sampler of every pod's <c>@@read_only</c>, a frozen run hands the primary over
/// (<c>switchover --to</c> a replica), then freezes the new primary (<c>freeze</c>: SIGSTOP of its
/// agent and mysqld) for 30 s and thaws it; a mysqld-down run kills the primary's mysqld and keeps
/// it from starting until writes are back through another pod. Each run then waits, with no
/// command typed, until every pod is ready, not errant and holds every acknowledged write.
/// </summary>
internal sealed class FailoverBench(BenchOptions options, Workspace work, TextWriter log)
{
    /// <summary>The agent's defaults (ElectionTimings.Default and --primary-start-timeout-seconds): the bench passes no --agent-arg.</summary>
    public const string Timings =
        "agent defaults (no --agent-arg): lease 15 s, renew deadline 10 s, retry period 2 s, fence budget 3 s, primary start timeout 10 s";

    public const string Method =
        "failover: from the node's stop (the last write acknowledged before the writer's first failure, within the run of 'mysql-local freeze <holder>', which SIGSTOPs its agent and mysqld) to the first write acknowledged through mysql-primary after that failure (the writer gives up on a silent server after 5 s; after an error it opens a new connection, another attempt starting every 100 ms until one answers); "
        + "switchover pause: the longest gap between two acknowledged writes from the 'switchover --to' request until the first write after the Lease moved; "
        + "mysqld down: from the SIGKILL of the primary's mysqld, kept from starting by an option it refuses in its conf.d (a crash loop), to the first write acknowledged through mysql-primary; the option is then removed; "
        + "heal: from the fault (the freeze, the kill) until every pod is ready, not errant and holds every acknowledged write, with no command typed (an errant old primary re-clones itself), within 5 min; "
        + "lost: acknowledged ids missing on a ready, not errant pod at the end of the heal wait; "
        + "application clients: two more writers through mysql-primary as an application account with the driver's defaults (15 s connect timeout, no read timeout), one opening a new connection per request, one with a pool of 4, each retrying a failed request on a new connection every 50 ms; a client's gap is from its last write acknowledged before the fault to its first after, and 'after the failover itself' is its first write after the fault minus the bench writer's; "
        + "two writable: samples every 100 ms of each pod's @@read_only in which two pods answered writable within the last 1 s; a pod silent for longer (frozen) or whose question failed is not counted writable, and samples that would show two if its last answer stood are reported apart; "
        + "so are the samples in the first second after the thaw in which the thawed pod is one of the two (its mysqld answers the question it held while stopped before its agent runs): the goal counts the others";

    public const int Pods = 3;

    private const string Table = "bench.failover";

    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan HealDeadline = TimeSpan.FromMinutes(5);

    public const string HealDeadlineText = "5 min";

    /// <summary>How long a frozen run keeps the primary stopped, from the freeze.</summary>
    private static readonly TimeSpan FrozenFor = TimeSpan.FromSeconds(30);

    public async Task<FailoverResult> RunAsync(CancellationToken ct)
    {
        var loadBefore = LoadAverage();
        log.WriteLine($"  timings: {Timings}");
        log.WriteLine($"  load average at start: {loadBefore}");
        var runs = new List<FailoverRun>();
        foreach (var scenario in Enum.GetValues<FailoverScenario>())
        {
            for (var run = 1; run <= options.FailoverRuns; run++)
            {
                ct.ThrowIfCancellationRequested();
                var result = await RunOnceAsync(run, scenario, ct);
                runs.Add(result);
                log.WriteLine(
                    $"  {Name(scenario)} run {run}/{options.FailoverRuns}: {Describe(result)}"
                );
            }
        }

        ArchiveLag archiveLag;
        try
        {
            archiveLag = await new ArchiveLagRun(SetOptions(_ => { }), work).RunAsync(ct);
        }
        catch (Exception e) when (IsRunFailure(e))
        {
            archiveLag = ArchiveLag.Failed(LastLine(e.Message));
        }

        log.WriteLine(
            $"  RPO across a failover: p50 {archiveLag.P50:0.0} s, p99 {archiveLag.P99:0.0} s, max {archiveLag.Max:0.0} s over {archiveLag.Samples} samples; {archiveLag.Run}"
        );
        var loadAfter = LoadAverage();
        log.WriteLine($"  load average at end: {loadAfter}");
        return new FailoverResult(
            options.FailoverRuns * Enum.GetValues<FailoverScenario>().Length,
            Timings,
            Method,
            loadBefore,
            loadAfter,
            Figure(runs, FailoverScenario.Frozen, r => r.FailoverSeconds),
            Figure(runs, FailoverScenario.MysqldDown, r => r.FailoverSeconds),
            Figure(runs, FailoverScenario.Frozen, r => r.HealSeconds),
            Figure(runs, FailoverScenario.MysqldDown, r => r.HealSeconds),
            runs.Count(r => r.Unhealed.Length > 0),
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
            ClientFigures.Of(runs),
            archiveLag,
            runs
        );
    }

    public static string Name(FailoverScenario scenario) =>
        scenario == FailoverScenario.Frozen ? "frozen 30 s" : "mysqld down for good";

    private static FigureSummary Figure(
        IEnumerable<FailoverRun> runs,
        FailoverScenario scenario,
        Func<FailoverRun, double?> figure
    ) =>
        FigureSummary.Of(
            runs.Where(r => r.Scenario == scenario).Select(figure).OfType<double>().ToList()
        );

    private static string Describe(FailoverRun r) =>
        $"up {r.UpSeconds:0} s; "
        + (
            r.Scenario == FailoverScenario.Frozen
                ? $"switchover to {r.SwitchoverTo}: pause {Seconds(r.SwitchoverPauseSeconds)} (Lease moved after {Seconds(r.SwitchoverLeaseMovedSeconds)}); {r.FrozenPod} frozen: "
                : $"{r.FrozenPod}'s mysqld killed and kept down: "
        )
        + $"Lease moved after {Seconds(r.FailoverLeaseMovedSeconds)}, writes back after {Seconds(r.FailoverSeconds)} through {(r.NewPrimary.Length > 0 ? r.NewPrimary : "?")} (term {r.Term}); "
        + $"every pod healed after {Seconds(r.HealSeconds)}{(r.Unhealed.Length > 0 ? $" (not at the deadline: {r.Unhealed})" : "")}; "
        + $"{r.Acknowledged} acknowledged, {r.Lost} lost{(r.LostOn.Length > 0 ? $" ({r.LostOn})" : "")}; old primary {r.OldPrimary}; "
        + string.Concat(
            r.Clients.Select(c =>
                $"'{c.Client}' client: gap {Seconds(c.GapSeconds)}, {Seconds(c.BeyondFailoverSeconds)} after the writer's first write ({c.Acknowledged} acknowledged, {c.Errors} errors); "
            )
        )
        + $"{r.Samples} samples, {r.TwoWritable} with two writable outside the thaw window, {r.TwoWritableInThawWindow} in it ({r.SamplesWithSilentPod} with a silent pod, {r.TwoWritableCountingSilent} two writable counting its last answer); "
        + $"{r.RunSeconds:0} s{(r.Error is null ? "" : $"; FAILED: {r.Error}")}";

    private static string Seconds(double? value) => value is { } v ? $"{v:0.00} s" : "-";

    private async Task<FailoverRun> RunOnceAsync(
        int run,
        FailoverScenario scenario,
        CancellationToken ct
    )
    {
        var total = Stopwatch.StartNew();
        var logs = Path.GetFullPath(
            Path.Combine(
                Path.GetDirectoryName(options.Output) ?? ".",
                $"failover-{(scenario == FailoverScenario.Frozen ? "frozen" : "mysqld-down")}-run-{run}-logs"
            )
        );
        var commands = new StringBuilder();
        var setOptions = SetOptions(line =>
        {
            lock (commands)
            {
                commands.AppendLine(line);
            }
        });
        LocalSet set;
        try
        {
            (set, _) = await LocalSet.UpAsync(setOptions, work.NewPath("local-set"), Pods, [], ct);
        }
        catch (LocalSetException e)
        {
            KeepCommands(logs, commands);
            return Failed(
                run,
                scenario,
                total,
                $"the local set did not come up ({LastLine(e.Message)}); its logs are in {logs}"
            );
        }

        var upSeconds = total.Elapsed.TotalSeconds;
        var clock = Stopwatch.StartNew();
        var state = new RunState(run, scenario, upSeconds);
        string? frozen = null;
        await using (set)
        {
            try
            {
                await MeasureAsync(set, clock, state, scenario, pod => frozen = pod, ct);
            }
            catch (Exception e) when (IsRunFailure(e))
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

    private LocalSetOptions SetOptions(Action<string> commands) =>
        new(
            options.LocalPath,
            options.InitPath,
            options.AgentPath,
            Repository.Of("manifests", "overlays", "mariadb"),
            commands
        );

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

    /// <summary>A failure that ends one run (reported with its figures missing), not the bench.</summary>
    private static bool IsRunFailure(Exception e) =>
        e
            is LocalSetException
                or MySqlException
                or IOException
                or TimeoutException
                or InvalidOperationException;

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault()
        ?? "(no output)";

    private static FailoverRun Failed(
        int run,
        FailoverScenario scenario,
        Stopwatch total,
        string error
    ) =>
        new RunState(run, scenario, total.Elapsed.TotalSeconds) { Error = error }.ToRun(
            total.Elapsed.TotalSeconds
        );

    private static async Task MeasureAsync(
        LocalSet set,
        Stopwatch clock,
        RunState state,
        FailoverScenario scenario,
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
        await using var clients = await ApplicationClients.StartAsync(set, clock, Step, ct);
        await writer.WaitForMoreAsync(100, Step, ct);

        var faultAt =
            scenario == FailoverScenario.Frozen
                ? await FreezeAsync(set, clock, state, writer, first, frozenPod, ct)
                : await KeepMysqldDownAsync(set, clock, state, writer, first, ct);
        state.Clients = await clients.GapsAsync(
            faultAt,
            faultAt + TimeSpan.FromSeconds(state.Failover ?? double.NaN),
            Step,
            ct
        );
        await writer.WaitForMoreAsync(100, Step, ct);
        var applicationWrites = await clients.StopAsync();
        var acknowledged = await writer.StopAsync();
        state.Acknowledged = acknowledged.Count + applicationWrites.Count;
        var counts = await sampler.StopAsync();
        state.Samples = counts.Samples;
        state.TwoWritable = counts.TwoWritable;
        state.TwoWritableInThawWindow = counts.TwoWritableInThawWindow;
        state.SamplesWithSilentPod = counts.WithSilentPod;
        state.TwoWritableCountingSilent = counts.TwoWritableCountingSilent;

        // 3. The set heals itself: every pod ready, not errant, with every acknowledged write.
        var heal = await HealAsync(
            set,
            [(Table, acknowledged), (ApplicationClient.Table, applicationWrites)],
            ct
        );
        state.Heal = heal.Healed ? (clock.Elapsed - faultAt).TotalSeconds : null;
        state.Unhealed = heal.Unhealed;
        state.Lost = heal.Lost.Count;
        state.LostOn = heal.LostOn;
        state.OldPrimary = set.Log(state.FrozenPod, "clone")
            .Contains(".errant-", StringComparison.Ordinal)
            ? "errant, re-cloned itself from the new primary"
            : "rejoined without a re-clone";
    }

    /// <summary>A switchover to the next pod, then the new primary frozen for 30 s and thawed; returns the freeze's time.</summary>
    private static async Task<TimeSpan> FreezeAsync(
        LocalSet set,
        Stopwatch clock,
        RunState state,
        PrimaryWriter writer,
        LeaseView first,
        Action<string?> frozenPod,
        CancellationToken ct
    )
    {
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

        // The primary stops: its agent and mysqld frozen.
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

        // Thawed 30 s after the freeze; the set tells the sampler of the thaw (its window is counted apart).
        await Eventually.UntilAsync(
            () => clock.Elapsed - freezing >= FrozenFor,
            $"{FrozenFor.TotalSeconds:0} s since {holder} froze",
            FrozenFor + Step,
            cancellationToken: ct
        );
        await set.MustRunAsync(["thaw", holder], ct);
        frozenPod(null);
        return stopped;
    }

    /// <summary>The primary's mysqld killed and kept from starting until writes are back; returns the kill's time.</summary>
    private static async Task<TimeSpan> KeepMysqldDownAsync(
        LocalSet set,
        Stopwatch clock,
        RunState state,
        PrimaryWriter writer,
        LeaseView first,
        CancellationToken ct
    )
    {
        var holder = first.Holder;
        state.FrozenPod = holder;
        // As a broken config keeps a pod in CrashLoopBackOff: every restart fails at once.
        var blocker = Path.Combine(set.PodDir(holder), "conf.d", "zz-bench-keep-down.cnf");
        await File.WriteAllTextAsync(blocker, "[mysqld]\nbench-keep-mysqld-down=1\n", ct);
        var mysqld =
            (await set.PodAsync(holder)).Pid("mysql")
            ?? throw new InvalidOperationException($"{holder}'s mysqld has no pid");
        var killedAt = clock.Elapsed;
        using (var process = Process.GetProcessById(mysqld))
        {
            process.Kill(); // SIGKILL, as kill -9
        }
        try
        {
            var next = await set.WaitForLeaseAsync(
                $"another pod holds the Lease after {holder}'s mysqld went down",
                l => l.Term > first.Term && l.Holder.Length > 0 && l.Holder != holder,
                Step,
                ct
            );
            state.FailoverLeaseMoved = (clock.Elapsed - killedAt).TotalSeconds;
            state.NewPrimary = next.Holder;
            state.Term = next.Term;
            var outage = await writer.OutageAfterAsync(killedAt, Step, ct);
            state.Failover = (outage.Resumed.At - killedAt).TotalSeconds;
        }
        finally
        {
            // Fixed: mysqld may start again (the old primary's heal is part of the figure).
            File.Delete(blocker);
        }

        return killedAt;
    }

    private sealed record HealOutcome(
        bool Healed,
        string Unhealed,
        IReadOnlySet<string> Lost,
        string LostOn
    );

    /// <summary>Waits until every pod is ready, not errant and holds every acknowledged write.</summary>
    private static async Task<HealOutcome> HealAsync(
        LocalSet set,
        IReadOnlyList<(string Table, IReadOnlyList<long> Ids)> acknowledged,
        CancellationToken ct
    )
    {
        var unhealed = "";
        var lost = new HashSet<string>();
        var lostOn = "";
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    var left = new List<string>();
                    var missingNow = new HashSet<string>();
                    var missingOn = new List<string>();
                    foreach (var pod in await set.StatusAsync())
                    {
                        if (!pod.Ready)
                        {
                            left.Add($"{pod.Name} unready");
                            continue;
                        }

                        try
                        {
                            if (await set.ErrantAsync(pod.Ordinal, ct))
                            {
                                left.Add($"{pod.Name} errant");
                                continue;
                            }

                            var missing = new List<string>();
                            foreach (var (table, ids) in acknowledged)
                            {
                                missing.AddRange(
                                    (await MissingAsync(set, pod.Ordinal, table, ids, ct)).Select(
                                        id => $"{table} id {id}"
                                    )
                                );
                            }

                            if (missing.Count > 0)
                            {
                                left.Add($"{pod.Name} lacks {missing.Count} acknowledged writes");
                                missingNow.UnionWith(missing);
                                missingOn.Add($"{pod.Name} lacks {missing.Count}");
                            }
                        }
                        catch (Exception e)
                            when (e
                                    is HttpRequestException
                                        or MySqlException
                                        or TaskCanceledException
                            )
                        {
                            left.Add($"{pod.Name} does not answer ({e.Message})");
                        }
                    }

                    unhealed = string.Join(", ", left);
                    lost = missingNow;
                    lostOn = string.Join(", ", missingOn);
                    return left.Count == 0;
                },
                "every pod ready, not errant and holding every acknowledged write",
                HealDeadline,
                cancellationToken: ct
            );
            return new HealOutcome(true, "", new HashSet<string>(), "");
        }
        catch (TimeoutException)
        {
            return new HealOutcome(false, unhealed, lost, lostOn);
        }
    }

    private static async Task<IReadOnlyList<long>> MissingAsync(
        LocalSet set,
        int ordinal,
        string table,
        IReadOnlyList<long> acknowledged,
        CancellationToken ct
    )
    {
        await using var connection = await set.ConnectAsync(ordinal, ct);
        await using var command = new MySqlCommand($"SELECT id FROM {table}", connection)
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
