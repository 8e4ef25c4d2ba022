using System.Text.Json;
using MysqlAgent.Election;
using MysqlAgent.Health;
using MysqlAgent.TestSupport;
using MySqlConnector;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Election;

/// <summary>
/// <c>serve --lease-store file:...</c> on three real mariadbd servers: the agents elect a primary,
/// and when its mysqld stops for good another one takes over; when it only restarts, nothing moves.
/// Short timings: lease 6 s, renew deadline 4 s, retry 1 s, fence budget 1 s.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AutomaticFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FailoverWait = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact(Timeout = 400_000)]
    public async Task When_the_primary_mysqld_stops_for_good_a_replica_is_promoted_with_every_acknowledged_row_and_never_two_primaries()
    {
        await using var set = await ElectedSet.StartAsync(primaryStartTimeoutSeconds: 2);
        await using var sampler = new SplitBrainSampler(set);
        var (old, replica1, replica2) = (set.Servers[0], set.Servers[1], set.Servers[2]);

        // A fresh set: ordinal 0 creates the Lease (term 1) and promotes; the others follow it.
        await set.WaitUntilAllReadyAsync();
        var first = await set.StatusAsync(0);
        Assert.Equal("primary", first.GetProperty("role").GetString());
        Assert.Equal(1, first.GetProperty("term").GetInt64());
        Assert.Equal("mysql-0", first.GetProperty("holder").GetString());
        Assert.True(await ElectedSet.WritableAsync(old));
        Assert.False(await ElectedSet.WritableAsync(replica1));
        Assert.False(await ElectedSet.WritableAsync(replica2));

        await ElectedSet.CreateAppSchemaAsync(old);
        var acknowledged = new List<int>();
        for (var id = 1; id <= 40; id++)
        {
            await ElectedSet.InsertAsync(old, id);
            acknowledged.Add(id);
        }

        // Without the semi-sync ACK fence (not wired yet), an acknowledged row is only safe once a
        // replica has it: the test waits for that, so what it checks is that failover loses none.
        foreach (var replica in new[] { replica1, replica2 })
        {
            await Eventually.UntilAsync(
                async () => (await ElectedSet.RowsAsync(replica)).IsSupersetOf(acknowledged),
                $"{replica} has the 40 acknowledged rows"
            );
        }

        await old.StopAsync();
        output.WriteLine("mysql-0's mysqld stopped for good");

        var promoted = await Eventually.ValueAsync(
            async () =>
                await ElectedSet.WritableAsync(replica1) ? 1
                : await ElectedSet.WritableAsync(replica2) ? 2
                : 0,
            ordinal => ordinal > 0 && set.Role(ordinal).IsPrimary,
            "a replica is writable and its agent reports primary",
            FailoverWait
        );
        // From here on the old primary's agent must never say primary again.
        sampler.ResetPrimariesSeen();
        var (newPrimary, follower) = promoted == 1 ? (replica1, replica2) : (replica2, replica1);
        var followerOrdinal = 3 - promoted;
        output.WriteLine($"mysql-{promoted} took over");

        var status = await set.StatusAsync(promoted);
        Assert.Equal("primary", status.GetProperty("role").GetString());
        // Term 2, or 3 when a racer that could not see a more advanced peer handed the Lease to it.
        var term = status.GetProperty("term").GetInt64();
        Assert.InRange(term, 2, 3);
        Assert.Equal($"mysql-{promoted}", status.GetProperty("holder").GetString());
        Assert.True((await ElectedSet.RowsAsync(newPrimary)).IsSupersetOf(acknowledged));

        // The other replica follows the new primary: a new write reaches it.
        await ElectedSet.InsertAsync(newPrimary, 41);
        acknowledged.Add(41);
        await Eventually.UntilAsync(
            async () => (await ElectedSet.RowsAsync(follower)).IsSupersetOf(acknowledged),
            $"mysql-{followerOrdinal} replicates row 41 from mysql-{promoted}",
            FailoverWait
        );
        await set.Agents[followerOrdinal]
            .WaitForReadyzAsync((code, _) => code == System.Net.HttpStatusCode.OK, FailoverWait);
        Assert.False(await ElectedSet.WritableAsync(follower));
        Assert.Equal(
            1,
            await set.Agents[1].MetricAsync("mysql_agent_failovers_total")
                + await set.Agents[2].MetricAsync("mysql_agent_failovers_total")
        );
        Assert.Equal(term, await set.Agents[followerOrdinal].MetricAsync("mysql_agent_term"));

        var samples = await sampler.StopAsync();
        output.WriteLine($"{samples} samples of the writable servers and primary agents");
        Assert.Empty(sampler.Doubles);
        Assert.DoesNotContain(0, sampler.PrimariesSeen);
        Assert.False(set.Role(0).IsPrimary);
        Assert.Equal("replica", (await set.StatusAsync(0)).GetProperty("role").GetString());
    }

    [Fact(Timeout = 400_000)]
    public async Task Replicas_lacking_more_than_the_lag_bound_do_not_take_over_until_an_operator_removes_the_recorded_position()
    {
        await using var set = await ElectedSet.StartAsync(
            primaryStartTimeoutSeconds: 2,
            ["--durability", "async", "--max-lag-on-failover", "5"]
        );
        var (old, replicas) = (set.Servers[0], new[] { 1, 2 });
        await set.WaitUntilAllReadyAsync();
        await ElectedSet.CreateAppSchemaAsync(old);
        await ElectedSet.InsertAsync(old, 1);
        foreach (var ordinal in replicas)
        {
            await Eventually.UntilAsync(
                async () => (await ElectedSet.RowsAsync(set.Servers[ordinal])).Contains(1),
                $"mysql-{ordinal} has row 1"
            );
            // From here on it receives nothing: what follows is on the primary only.
            await set.Servers[ordinal].ExecuteAsync("STOP SLAVE IO_THREAD");
        }

        for (var id = 2; id <= 21; id++)
        {
            await ElectedSet.InsertAsync(old, id);
        }

        // The primary records its position at its renewals; both replicas see how far behind they are.
        foreach (var ordinal in replicas)
        {
            await Eventually.UntilAsync(
                async () => Candidate(await set.StatusAsync(ordinal)).LagBehindPrimary >= 20,
                $"mysql-{ordinal} reports 20 or more transactions behind the recorded position"
            );
        }

        await old.StopAsync();
        output.WriteLine("mysql-0's mysqld stopped for good with 20 rows no replica received");

        // The holder releases the Lease after its start timeout; neither replica may take it.
        foreach (var ordinal in replicas)
        {
            var step = await Eventually.ValueAsync(
                async () => Candidate(await set.StatusAsync(ordinal)).Step ?? "",
                s => s.StartsWith("NotRacing: the Lease was released", StringComparison.Ordinal),
                $"mysql-{ordinal} declines the released Lease",
                FailoverWait
            );
            output.WriteLine($"mysql-{ordinal}: {step}");
            Assert.Contains("more than --max-lag-on-failover 5", step, StringComparison.Ordinal);
        }

        Assert.False(await ElectedSet.WritableAsync(set.Servers[1]));
        Assert.False(await ElectedSet.WritableAsync(set.Servers[2]));
        Assert.Contains(
            "more than --max-lag-on-failover 5",
            Assert.Single(Candidate(await set.StatusAsync(1)).Ineligible!),
            StringComparison.Ordinal
        );

        // The operator accepts the loss: without a recorded position there is no bound.
        var store = new FileLeaseStore(
            set.LeaseFolder,
            TimeSpan.FromSeconds(5),
            TimeProvider.System
        );
        var read = await store.GetAsync(CancellationToken.None);
        var removed = await store.ReplaceAsync(
            read.Lease!.Record with
            {
                Position = null,
            },
            read.Lease.Version,
            CancellationToken.None
        );
        Assert.Equal(LeaseOutcome.Ok, removed.Outcome);

        var promoted = await Eventually.ValueAsync(
            async () =>
                await ElectedSet.WritableAsync(set.Servers[1]) ? 1
                : await ElectedSet.WritableAsync(set.Servers[2]) ? 2
                : 0,
            ordinal => ordinal > 0 && set.Role(ordinal).IsPrimary,
            "a replica takes over once the recorded position is gone",
            FailoverWait
        );
        output.WriteLine($"mysql-{promoted} took over");
        Assert.Equal([1], await ElectedSet.RowsAsync(set.Servers[promoted]));
    }

    private static CandidateDocument Candidate(JsonElement status) =>
        status.GetProperty("candidate").Deserialize<CandidateDocument>(Web)!;

    [Fact(Timeout = 400_000)]
    public async Task With_the_agents_of_the_primary_and_a_replica_gone_the_new_holder_fences_the_old_primary_and_stops_that_replica_fetching_from_it()
    {
        await using var set = await ElectedSet.StartAsync(primaryStartTimeoutSeconds: 2);
        var old = set.Servers[0];
        await set.WaitUntilAllReadyAsync();
        await ElectedSet.CreateAppSchemaAsync(old);
        await using var client = new MySqlConnection(
            old.ConnectionStringFor(ElectedSet.AppUser, ElectedSet.AppPassword, "f")
        );
        await client.OpenAsync();

        // Two agents go; their mysqld stay up: mysql-0 writable, mysql-2 fetching from it (and so
        // able to acknowledge its commits). Nothing of their own will ever fence them.
        await set.Agents[0].DisposeAsync();
        await set.Agents[2].DisposeAsync();
        output.WriteLine("the agents of mysql-0 and mysql-2 stopped; their mysqld run on");
        Assert.True(await ElectedSet.WritableAsync(old));
        Assert.True(await IoThreadRunningAsync(set.Servers[2]));

        await Eventually.UntilAsync(
            () => Task.FromResult(set.Role(1).IsPrimary),
            "mysql-1, the one agent left, takes over",
            FailoverWait
        );
        const int promoted = 1;

        await Eventually.UntilAsync(
            async () => !await ElectedSet.WritableAsync(old),
            "the new holder turns mysql-0's mysqld read-only",
            FailoverWait
        );
        // The application's connection to it was killed with the fence.
        await Assert.ThrowsAnyAsync<MySqlException>(async () =>
        {
            await using var insert = new MySqlCommand("INSERT INTO t VALUES (1)", client);
            await insert.ExecuteNonQueryAsync();
        });
        Assert.True(await ElectedSet.WritableAsync(set.Servers[promoted]));
        await Eventually.UntilAsync(
            async () => !await IoThreadRunningAsync(set.Servers[2]),
            "the new holder stops mysql-2 fetching from mysql-0",
            FailoverWait
        );
    }

    private static async Task<bool> IoThreadRunningAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var status = new MySqlCommand("SHOW SLAVE STATUS", connection);
        await using var reader = await status.ExecuteReaderAsync();
        return await reader.ReadAsync()
            && reader.GetString(reader.GetOrdinal("Slave_IO_Running")) == "Yes";
    }

    [Fact(Timeout = 400_000)]
    public async Task A_primary_cut_off_from_the_lease_store_fences_itself_and_one_primary_is_back_once_the_store_answers()
    {
        await using var set = await ElectedSet.StartAsync(primaryStartTimeoutSeconds: 60);
        await using var sampler = new SplitBrainSampler(set);
        var primary = set.Servers[0];
        await set.WaitUntilAllReadyAsync();
        await ElectedSet.CreateAppSchemaAsync(primary);
        await using var client = new MySqlConnection(
            primary.ConnectionStringFor(ElectedSet.AppUser, ElectedSet.AppPassword, "f")
        );
        await client.OpenAsync();

        // Holding the store's lock makes every write unavailable, as a partitioned API server would.
        // An agent may hold it for a moment when the test asks for it (CI saw that): wait for it.
        using (
            await Eventually.ValueAsync(
                () =>
                    Task.FromResult(
                        new FileStream(
                            Path.Combine(set.LeaseFolder, "lease.lock"),
                            FileMode.OpenOrCreate,
                            FileAccess.ReadWrite,
                            FileShare.None
                        )
                    ),
                _ => true,
                "the test holds the Lease store's lock"
            )
        )
        {
            // The fence's metric, observed once read-only holds and the connections are killed: read-only
            // alone shows before the kill has ended (CI saw the client's SELECT answered then).
            var metrics = await Eventually.ValueAsync(
                () => set.Agents[0].MetricsAsync(),
                m => m.Value("mysql_agent_fence_seconds_count", ("result", "done")) >= 1,
                "mysql-0 fenced itself (mysql_agent_fence_seconds_count{result=\"done\"})",
                FailoverWait
            );
            Assert.False(await ElectedSet.WritableAsync(primary));
            Assert.False(set.Role(0).IsPrimary);
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var command = new MySqlCommand("SELECT 1", client);
                await command.ExecuteScalarAsync();
            });
            output.WriteLine(
                $"fence count {metrics.Value("mysql_agent_fence_seconds_count", ("result", "done"))}, renew failures {metrics.Value("mysql_agent_lease_renew_failures_total")}"
            );
            Assert.Equal(1, metrics.Value("mysql_agent_fence_seconds_count", ("result", "done")));
            Assert.True(metrics.Value("mysql_agent_lease_renew_failures_total") >= 1);
        }

        // The store answers again: mysql-0 resumes its term, or a replica wins the next one.
        var ordinal = await Eventually.ValueAsync(
            async () =>
            {
                var writable = new List<int>();
                for (var i = 0; i < 3; i++)
                {
                    if (await ElectedSet.WritableAsync(set.Servers[i]) && set.Role(i).IsPrimary)
                    {
                        writable.Add(i);
                    }
                }

                return writable.Count == 1 ? writable[0] : -1;
            },
            found => found >= 0,
            "one server is writable again with its agent primary",
            FailoverWait
        );
        output.WriteLine($"mysql-{ordinal} is the primary again");
        await sampler.StopAsync();
        Assert.Empty(sampler.Doubles);
    }

    [Fact(Timeout = 400_000)]
    public async Task A_primary_mysqld_restarted_within_the_start_timeout_keeps_its_term_and_its_replicas()
    {
        await using var set = await ElectedSet.StartAsync(primaryStartTimeoutSeconds: 60);
        await using var sampler = new SplitBrainSampler(set);
        var primary = set.Servers[0];
        await set.WaitUntilAllReadyAsync();
        await ElectedSet.CreateAppSchemaAsync(primary);
        await ElectedSet.InsertAsync(primary, 1);

        await primary.StopAsync();
        await primary.StartAgainAsync();
        output.WriteLine("mysql-0's mysqld restarted (it boots read-only)");

        // The holder's agent makes it writable again in the same term.
        await Eventually.UntilAsync(
            async () => await ElectedSet.WritableAsync(primary) && set.Role(0).IsPrimary,
            "mysql-0 is writable again and its agent reports primary",
            FailoverWait
        );
        await ElectedSet.InsertAsync(primary, 2);
        foreach (var ordinal in new[] { 1, 2 })
        {
            await Eventually.UntilAsync(
                async () => (await ElectedSet.RowsAsync(set.Servers[ordinal])).Contains(2),
                $"mysql-{ordinal} still replicates from mysql-0",
                FailoverWait
            );
        }

        for (var ordinal = 0; ordinal < 3; ordinal++)
        {
            var status = await set.StatusAsync(ordinal);
            Assert.Equal(1, status.GetProperty("term").GetInt64());
            Assert.Equal("mysql-0", status.GetProperty("holder").GetString());
        }

        await sampler.StopAsync();
        Assert.Empty(sampler.Doubles);
        Assert.Equal(0, await set.Agents[1].MetricAsync("mysql_agent_failovers_total"));
        Assert.Equal(0, await set.Agents[2].MetricAsync("mysql_agent_failovers_total"));
    }

    [Fact(Timeout = 400_000)]
    public async Task A_replica_made_writable_by_hand_is_counted_as_two_primaries_and_fenced_by_its_agent()
    {
        await using var set = await ElectedSet.StartAsync(primaryStartTimeoutSeconds: 60);
        await set.WaitUntilAllReadyAsync();
        var replica = set.Servers[1];
        var before = await set.Agents[1].MetricAsync("mysql_agent_two_primaries_seen_total") ?? 0;

        await replica.ExecuteAsync("SET GLOBAL read_only = OFF");

        await Eventually.UntilAsync(
            async () =>
                await set.Agents[1].MetricAsync("mysql_agent_two_primaries_seen_total") > before
                && !await ElectedSet.WritableAsync(replica),
            "mysql-1's agent counts two primaries and makes its mysqld read-only again",
            FailoverWait
        );
        Assert.True(await ElectedSet.WritableAsync(set.Servers[0]), "the primary stays writable");
        await Eventually.UntilAsync(
            async () =>
                !(await set.StatusAsync(1))
                    .GetProperty("candidate")
                    .GetProperty("writable")
                    .GetBoolean(),
            "mysql-1's /status reports its mysqld not writable again"
        );
    }
}
