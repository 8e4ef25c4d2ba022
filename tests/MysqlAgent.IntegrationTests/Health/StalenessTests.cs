using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CliWrap;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Health;

/// <summary>
/// Readiness from measured staleness on real mariadbd: the primary's agent writes heartbeats, the
/// replica's agent measures their age, and a frozen or killed primary leaves the replica serving
/// reads until its data is older than <c>--max-lag-seconds</c>.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StalenessTests
{
    private const int Generous = 240_000;
    private const int MaxLag = 10;

    // As the manifests' replica.cnf: a silent source is given up on after 5 s, and the source
    // heartbeat period (half of it, set when replication is configured) is 2.5 s.
    private static readonly string[] ReplicaServerArgs = ["--slave-net-timeout=5"];

    [Fact(Timeout = Generous)]
    public async Task The_primarys_heartbeat_advances_on_the_replica_and_sets_its_staleness()
    {
        await using var pair = await ReplicationPair.StartAsync(ReplicaServerArgs);
        await using var primary = await StartAgentAsync(pair.Primary, ordinal: 0);
        await using var replica = await StartAgentAsync(
            pair.Replica,
            ordinal: 1,
            maxLagSeconds: MaxLag
        );

        var first = await Eventually.ValueAsync(
            () => pair.Replica.ScalarAsync<long>("SELECT MAX(ts_us) FROM mysql_agent.heartbeat"),
            ts => ts > 0,
            "the first heartbeat row reached the replica"
        );
        await Eventually.ValueAsync(
            () => pair.Replica.ScalarAsync<long>("SELECT MAX(ts_us) FROM mysql_agent.heartbeat"),
            ts => ts > first,
            "a newer heartbeat reached the replica"
        );

        var (_, body) = await replica.WaitForReadyzAsync(
            (s, b) =>
                s == HttpStatusCode.OK
                && b.StartsWith("ready: replica, stale", StringComparison.Ordinal)
        );
        Assert.Matches(@"^ready: replica, stale \d+\.\d s of 10 s$", body);
        var staleness = await replica.MetricAsync("mysql_agent_replica_staleness_seconds");
        Assert.InRange(staleness!.Value, 0, MaxLag);
        var status = await StatusAsync(replica);
        Assert.Equal(JsonValueKind.Number, status.GetProperty("stalenessSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("sourceUnreachableSeconds").ValueKind);
        Assert.True(
            await primary.MetricAsync("mysql_agent_heartbeat_writes_total", ("result", "success"))
                >= 2
        );
        Assert.True(
            double.IsNaN(
                (await primary.MetricAsync("mysql_agent_replica_staleness_seconds"))!.Value
            )
        );
    }

    [Fact(Timeout = Generous)]
    public async Task A_frozen_primary_leaves_the_replica_ready_until_its_data_is_too_stale_and_thawing_brings_it_back()
    {
        await using var pair = await ReplicationPair.StartAsync(ReplicaServerArgs);
        await using var primary = await StartAgentAsync(pair.Primary, ordinal: 0);
        await using var replica = await StartAgentAsync(
            pair.Replica,
            ordinal: 1,
            maxLagSeconds: MaxLag
        );
        await replica.WaitForReadyzAsync(
            (s, b) =>
                s == HttpStatusCode.OK
                && b.StartsWith("ready: replica, stale", StringComparison.Ordinal)
        );

        await using var samples = StatusSampler.Start(replica);
        await SignalAsync(pair.Primary.ProcessId, "STOP");
        try
        {
            // The IO thread gives up on the silent source and reconnects; the replica stays ready.
            var (_, unreachable) = await replica.WaitForReadyzAsync(
                (s, b) =>
                    s == HttpStatusCode.OK
                    && b.Contains("source unreachable", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60)
            );
            Assert.Matches(
                @"^ready: replica, source unreachable for \d+ s.*, stale \d+\.\d s of 10 s$",
                unreachable
            );

            var (_, stale) = await replica.WaitForReadyzAsync(
                (s, _) => s == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(60)
            );
            Assert.Matches(
                @"^not ready: stale \d+\.\d s exceeds --max-lag-seconds 10; source unreachable for \d+ s",
                stale
            );
        }
        finally
        {
            await SignalAsync(pair.Primary.ProcessId, "CONT");
        }

        var frozen = samples.Taken();
        // Until the data was too old, the replica was ready: losing the source alone never made it
        // unready, and it was ready while the source was unreachable.
        Assert.All(
            frozen.Where(s => !s.Ready),
            s =>
            {
                Assert.True(
                    s.Staleness >= MaxLag,
                    $"not ready at staleness {s.Staleness}: {s.Reason}"
                );
                Assert.StartsWith("stale ", s.Reason, StringComparison.Ordinal);
            }
        );
        Assert.Contains(frozen, s => s.Ready && s.SourceUnreachable is not null);

        var (_, back) = await replica.WaitForReadyzAsync(
            (s, b) =>
                s == HttpStatusCode.OK && !b.Contains("unreachable", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90)
        );
        Assert.Matches(@"^ready: replica, stale \d+\.\d s of 10 s$", back);
    }

    [Fact(Timeout = Generous)]
    public async Task A_killed_primary_leaves_the_replica_ready_with_the_connect_error_in_the_reason()
    {
        await using var pair = await ReplicationPair.StartAsync(ReplicaServerArgs);
        await using var primary = await StartAgentAsync(pair.Primary, ordinal: 0);
        await using var replica = await StartAgentAsync(
            pair.Replica,
            ordinal: 1,
            maxLagSeconds: 600
        );
        await replica.WaitForReadyzAsync(
            (s, b) =>
                s == HttpStatusCode.OK
                && b.StartsWith("ready: replica, stale", StringComparison.Ordinal)
        );

        await pair.Primary.KillAsync();

        var (_, body) = await replica.WaitForReadyzAsync(
            (s, b) => s == HttpStatusCode.OK && b.Contains("(error 2003", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60)
        );
        Assert.Matches(
            @"^ready: replica, source unreachable for \d+ s \(error 2003: .*\), stale \d+\.\d s of 600 s$",
            body
        );
        var status = await StatusAsync(replica);
        Assert.False(status.GetProperty("ioThreadRunning").GetBoolean());
        Assert.True(status.GetProperty("sourceUnreachableSeconds").GetDouble() >= 0);
        Assert.True(status.GetProperty("stalenessSeconds").GetDouble() > 0);

        await pair.Primary.StartAgainAsync();
        await replica.WaitForReadyzAsync(
            (s, b) =>
                s == HttpStatusCode.OK && !b.Contains("unreachable", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90)
        );
    }

    [Fact(Timeout = Generous)]
    public async Task With_heartbeats_off_a_lost_primary_makes_the_replica_unready_as_before()
    {
        string[] off = ["--heartbeat-interval", "0"];
        await using var pair = await ReplicationPair.StartAsync(ReplicaServerArgs);
        await using var primary = await StartAgentAsync(pair.Primary, ordinal: 0, more: off);
        await using var replica = await StartAgentAsync(
            pair.Replica,
            ordinal: 1,
            maxLagSeconds: MaxLag,
            more: off
        );
        var (_, body) = await replica.WaitForReadyzAsync((s, _) => s == HttpStatusCode.OK);
        Assert.Equal("ready: replica, IO and SQL threads running, lag 0 s", body);
        Assert.True(
            double.IsNaN(
                (await replica.MetricAsync("mysql_agent_replica_staleness_seconds"))!.Value
            )
        );
        Assert.Equal(
            JsonValueKind.Null,
            (await StatusAsync(replica)).GetProperty("stalenessSeconds").ValueKind
        );

        await pair.Primary.KillAsync();

        (_, body) = await replica.WaitForReadyzAsync(
            (s, _) => s == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(60)
        );
        Assert.StartsWith("not ready: IO thread connecting", body, StringComparison.Ordinal);
        Assert.Null(
            await primary.MetricAsync("mysql_agent_heartbeat_writes_total", ("result", "success"))
        );
        Assert.Equal(
            0,
            await pair.Replica.ScalarAsync<long>(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql_agent'"
            )
        );
    }

    private static Task<InProcessAgent> StartAgentAsync(
        MariaDbServer server,
        int ordinal,
        int maxLagSeconds = 30,
        IReadOnlyList<string>? more = null
    ) => InProcessAgent.StartAsync(AgentArguments.WatchOnly(server, ordinal, maxLagSeconds, more));

    private static async Task<JsonElement> StatusAsync(InProcessAgent agent) =>
        JsonDocument.Parse((await agent.GetTextAsync("/status")).Body).RootElement.Clone();

    private static Task SignalAsync(int pid, string signal) =>
        Cli.Wrap("kill")
            .WithArguments(["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])
            .ExecuteAsync();

    private sealed record Sample(
        bool Ready,
        string Reason,
        double? Staleness,
        double? SourceUnreachable
    );

    /// <summary>Reads the replica's /status every 100 ms in the background, keeping every answer.</summary>
    private sealed class StatusSampler : IAsyncDisposable
    {
        private readonly ConcurrentQueue<Sample> _samples = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private StatusSampler(InProcessAgent agent) => _loop = RunAsync(agent);

        public static StatusSampler Start(InProcessAgent agent) => new(agent);

        public IReadOnlyList<Sample> Taken() => [.. _samples];

        private async Task RunAsync(InProcessAgent agent)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var status = await StatusAsync(agent);
                    _samples.Enqueue(
                        new Sample(
                            status.GetProperty("ready").GetBoolean(),
                            status.GetProperty("readyReason").GetString() ?? "",
                            Number(status, "stalenessSeconds"),
                            Number(status, "sourceUnreachableSeconds")
                        )
                    );
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Stopped.
            }
        }

        private static double? Number(JsonElement status, string name) =>
            status.GetProperty(name).ValueKind == JsonValueKind.Number
                ? status.GetProperty(name).GetDouble()
                : null;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}
