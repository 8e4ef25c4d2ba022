using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Failover;

/// <summary>
/// What every failover case starts from: a set made with failover (the default; not <c>up --fixed-primary</c>) and the short
/// timings, mysql-0 holding the Lease, a <see cref="WritableSampler"/> on every pod and a
/// <see cref="PrimaryWriter"/> through mysql-primary (on one clock) with 100 writes acknowledged. Disposing stops
/// the writer and the sampler, then takes the set down. The checks the cases share are here too.
/// </summary>
public sealed class FailoverRun(
    ITestOutputHelper output,
    LocalSet set,
    LeaseView first,
    WritableSampler sampler,
    PrimaryWriter writer
) : IAsyncDisposable
{
    public const int Pods = 3;

    private readonly ITestOutputHelper _output = output;

    public LocalSet Set { get; } = set;

    /// <summary>The Lease once mysql-0 held it, before any fault.</summary>
    public LeaseView First { get; } = first;

    public WritableSampler Sampler { get; } = sampler;

    public PrimaryWriter Writer { get; } = writer;

    /// <param name="output">The test's output.</param>
    /// <param name="writes">Acknowledged writes to wait for before returning.</param>
    /// <param name="agentArguments">More agent arguments for every pod (each passed as --agent-arg).</param>
    public static async Task<FailoverRun> StartAsync(
        ITestOutputHelper output,
        int writes = 100,
        IReadOnlyList<string>? agentArguments = null
    )
    {
        var (set, _) = await UpAsync(output, agentArguments ?? []);
        WritableSampler? sampler = null;
        try
        {
            var first = await set.WaitForLeaseAsync(
                "mysql-0 holds the Lease",
                l => l.Holder == "mysql-0"
            );
            var clock = Stopwatch.StartNew();
            sampler = set.StartWritableSampler(clock);
            var writer = await PrimaryWriter.StartAsync(set, RowWriter.Table, clock);
            var run = new FailoverRun(output, set, first, sampler, writer);
            await writer.WaitForMoreAsync(writes);
            return run;
        }
        catch
        {
            if (sampler is not null)
            {
                await sampler.DisposeAsync();
            }

            await set.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Shorter election timings than the defaults (lease 15 s, renew deadline 10 s, retry 2 s,
    /// fence 3 s; the primary start timeout keeps its default, 10 s) to spend fewer CI minutes, still within the rules the agent
    /// checks (renew deadline + fence budget &lt; lease; renew deadline &gt; 1.2 × retry) and with
    /// room for a loaded 2-core machine.
    /// </summary>
    private static Task<(LocalSet Set, CommandOutput Up)> UpAsync(
        ITestOutputHelper output,
        IReadOnlyList<string> agentArguments
    ) =>
        LocalSets.UpAsync(
            output,
            Pods,
            [
                "--failover",
                "--agent-arg=--lease-duration-seconds=10",
                "--agent-arg=--renew-deadline-seconds=6",
                "--agent-arg=--retry-period-seconds=2",
                "--agent-arg=--fence-budget-seconds=3",
                .. agentArguments.Select(a => "--agent-arg=" + a),
            ]
        );

    /// <summary>Every ordinal of the set but <paramref name="ordinal"/>.</summary>
    public static List<int> OthersThan(int ordinal) =>
        Enumerable.Range(0, Pods).Where(o => o != ordinal).ToList();

    /// <summary>Stops the writer; returns the acknowledged ids.</summary>
    public Task<IReadOnlyList<long>> StopWritingAsync() => Writer.StopAsync();

    /// <summary>
    /// Stops the sampler and prints its summary; returns its samples with two writable pods outside
    /// every thaw window (the split brains; those just after a thaw are only printed).
    /// </summary>
    public async Task<IReadOnlyList<WritableSample>> StopSamplingAsync()
    {
        await Sampler.StopAsync();
        _output.WriteLine(Sampler.Summary(LocalSet.Pod));
        return Sampler.TwoWritable;
    }

    /// <summary>Waits until another pod than <paramref name="old"/>'s holder holds the Lease in a later term.</summary>
    public Task<LeaseView> WaitForNewPrimaryAsync(LeaseView old) =>
        Set.WaitForLeaseAsync(
            $"a pod other than {old.Holder} holds the Lease in a term after {old.Term}",
            l => l.Term > old.Term && l.Holder is { Length: > 0 } h && h != old.Holder
        );

    /// <summary>
    /// Puts a fault on the primary (<paramref name="apply"/>), then waits for another pod to hold
    /// the Lease in a later term and for writes through mysql-primary to fail and come back;
    /// prints the times. Returns the new Lease and when (on the writer's clock) the fault began.
    /// </summary>
    public async Task<(LeaseView Next, TimeSpan FaultAt)> FailOverAsync(
        LeaseView from,
        string fault,
        Func<Task> apply
    )
    {
        await apply();
        var at = Writer.Now;
        var next = await WaitForNewPrimaryAsync(from);
        var outage = await Writer.OutageAfterAsync(at);
        _output.WriteLine(
            $"{fault}: {next.Holder} holds term {next.Term}; writes failed from {(outage.FirstError - at).TotalSeconds:0.0} s after it and came back {(outage.Resumed.At - at).TotalSeconds:0.0} s after it"
        );
        return (next, at);
    }

    /// <summary>Waits for 100 more acknowledged writes, stops the writer and checks every acknowledged write is on each of <paramref name="ordinals"/>; returns them.</summary>
    public async Task<IReadOnlyList<long>> FinishWritingAsync(IReadOnlyList<int> ordinals)
    {
        await Writer.WaitForMoreAsync(100);
        var acknowledged = await StopWritingAsync();
        await AssertOnPodsAsync(acknowledged, ordinals);
        return acknowledged;
    }

    /// <summary>Each restart of the pod's mysqld fails at once, on an option it does not know, until the file goes.</summary>
    public string KeepMysqldDown(string pod)
    {
        var blocker = Path.Combine(Set.PodDir(pod), "conf.d", "zz-e2e-keep-down.cnf");
        File.WriteAllText(blocker, "[mysqld]\ne2e-keep-mysqld-down=1\n");
        return blocker;
    }

    /// <summary>Waits until each pod holds every acknowledged write (replication catching up), then checks nothing else is there.</summary>
    public async Task AssertOnPodsAsync(
        IReadOnlyList<long> acknowledged,
        IReadOnlyList<int> ordinals
    )
    {
        _output.WriteLine(
            $"writer: {acknowledged.Count} writes acknowledged of {Writer.Attempted}, {Writer.Errors.Count} errors; the last: {string.Join(" | ", Writer.Errors.TakeLast(3))}"
        );
        foreach (var ordinal in ordinals)
        {
            await Set.WaitUntilAsync(
                $"mysql-{ordinal} holds all {acknowledged.Count} acknowledged writes",
                () => HoldsAllAsync(ordinal, acknowledged)
            );
            await Consistency.AssertHoldsAsync(Set, ordinal, acknowledged, Writer.Attempted);
        }
    }

    public async Task<bool> HoldsAllAsync(int ordinal, IReadOnlyList<long> acknowledged)
    {
        if (acknowledged.Count == 0)
        {
            return true;
        }

        await using var connection = await Set.ConnectAsync(ordinal);
        var present = await Sql.ScalarAsync<long>(
            connection,
            string.Create(
                CultureInfo.InvariantCulture,
                $"SELECT COUNT(*) FROM {RowWriter.Table} WHERE id IN ({string.Join(',', acknowledged)})"
            )
        );
        return present == acknowledged.Count;
    }

    public async Task<bool> ReadOnlyAsync(int ordinal)
    {
        await using var connection = await Set.ConnectAsync(ordinal);
        return await Sql.ScalarAsync<long>(connection, "SELECT @@read_only") == 1;
    }

    /// <summary>
    /// Waits until the pod holds every acknowledged write, or its agent reports errant
    /// transactions (an allowed outcome for an old primary); returns whether it is errant.
    /// </summary>
    public async Task<bool> RejoinedOrErrantAsync(int ordinal, IReadOnlyList<long> acknowledged)
    {
        var errant = false;
        await Set.WaitUntilAsync(
            $"mysql-{ordinal} holds every acknowledged write, or its agent reports errant transactions",
            async () =>
            {
                if (await HoldsAllAsync(ordinal, acknowledged))
                {
                    return true;
                }

                errant = await ErrantAsync(ordinal);
                return errant;
            }
        );
        _output.WriteLine(
            errant
                ? $"mysql-{ordinal} is marked errant"
                : $"mysql-{ordinal} rejoined and holds every acknowledged write"
        );
        return errant;
    }

    /// <summary>
    /// Waits, with no command typed, until every pod's agent answers /status ready and not errant
    /// and every pod holds every acknowledged write: an errant old primary re-clones itself (the
    /// default), a rejoining one catches up. Prints how long that took from <paramref name="since"/>.
    /// </summary>
    public async Task AllPodsHealAsync(IReadOnlyList<long> acknowledged, TimeSpan since)
    {
        var all = Enumerable.Range(0, Pods).ToList();
        foreach (var ordinal in all)
        {
            await WaitUntilReadyAndNotErrantAsync(ordinal);
        }

        await AssertOnPodsAsync(acknowledged, all);

        _output.WriteLine(
            $"every pod ready, not errant and holding all {acknowledged.Count} acknowledged writes {(Writer.Now - since).TotalSeconds:0.0} s after the fault, with no command typed"
        );
    }

    /// <summary>The agent's own verdict in its /status: <c>candidate.errant</c>.</summary>
    public Task<bool> ErrantAsync(int ordinal) => Set.ErrantAsync(ordinal);

    /// <summary>
    /// Waits until the pod's agent answers /status ready and not errant. A pod that a clone, a
    /// restart or a pod deletion has just replaced answers in SQL before its agent listens, so
    /// this is asked again until the new agent has answered, never once.
    /// </summary>
    public Task WaitUntilReadyAndNotErrantAsync(int ordinal) =>
        Set.WaitUntilAsync(
            $"mysql-{ordinal}'s agent answers /status ready and not errant",
            async () =>
            {
                using var document = JsonDocument.Parse(await AgentGetAsync(ordinal, "status"));
                var root = document.RootElement;
                return root.TryGetProperty("ready", out var ready)
                    && ready.GetBoolean()
                    && !LocalSet.Errant(root);
            }
        );

    /// <summary>The sum of a metric's samples (every label set) on the pod's agent /metrics; 0 when absent.</summary>
    public async Task<double> MetricAsync(int ordinal, string name)
    {
        var text = await AgentGetAsync(ordinal, "metrics");
        return text.Split('\n')
            .Where(l =>
                l.StartsWith(name, StringComparison.Ordinal)
                && l.Length > name.Length
                && l[name.Length] is ' ' or '{'
            )
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Whether the Lease file's history has the fork point of <paramref name="term"/>.</summary>
    public bool ForkPointRecorded(long term)
    {
        using var document = JsonDocument.Parse(
            File.ReadAllBytes(Path.Combine(Set.StateDir, "lease", "lease.json"))
        );
        return document.RootElement.TryGetProperty("history", out var history)
            && history.EnumerateArray().Any(h => h.GetProperty("term").GetInt64() == term);
    }

    /// <summary>How many pods answer <c>@@read_only = 0</c> now; a pod that does not answer counts as not writable.</summary>
    public async Task<IReadOnlyList<int>> WritableNowAsync()
    {
        var writable = new List<int>();
        for (var ordinal = 0; ordinal < Pods; ordinal++)
        {
            try
            {
                if (!await ReadOnlyAsync(ordinal))
                {
                    writable.Add(ordinal);
                }
            }
            catch (MySqlConnector.MySqlException)
            {
                // Down: not writable.
            }
        }

        return writable;
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        await Sampler.DisposeAsync();
        await Set.DisposeAsync();
    }

    private async Task<string> AgentGetAsync(int ordinal, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        return await http.GetStringAsync(
            new Uri(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"http://127.0.0.1:{LocalSet.HttpPort(Set.BasePort, ordinal)}/{path}"
                )
            )
        );
    }
}
