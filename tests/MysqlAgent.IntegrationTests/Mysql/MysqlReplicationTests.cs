using System.Net;
using System.Text.Json;
using MysqlAgent.Health;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.IntegrationTests.Replication;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>
/// A replica's setup against real MySQL, from a clone's info files. The clone is made without
/// XtraBackup (Debian has none): the replica gets the primary's table and rows with sql_log_bin=0 and
/// the info file the backup tool would write at that point, so replication must start exactly there.
/// </summary>
[Collection(MysqlContainers.Name)]
[Trait("Category", "Slow")]
public sealed class MysqlReplicationTests(
    MysqlEngine engine,
    MysqlPrimary shared,
    MysqlCrashReplica crashReplica,
    ITestOutputHelper output
) : IClassFixture<MysqlPrimary>, IClassFixture<MysqlCrashReplica>
{
    private MysqlServer? _primary;

    private MysqlServer Primary =>
        _primary ?? throw new InvalidOperationException("no primary yet");

    private sealed record Clone(MysqlServer Replica, string DataDir, string Table)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Replica.DisposeAsync();
            Directory.Delete(DataDir, recursive: true);
        }
    }

    [MysqlTheory(Timeout = 900_000)]
    [InlineData("gtid")]
    [InlineData("file-position")]
    public async Task A_replica_set_up_from_the_clones_info_files_replicates_from_there_at_most_once_read_only_and_ready(
        string mode
    )
    {
        await using var clone = await CloneAsync(
            mode.Replace('-', '_'),
            serverId: mode == "gtid" ? 2 : 3
        );
        var replica = clone.Replica;
        var arguments = MysqlAgents.Replica(replica, Primary, clone.DataDir, mode);

        await using (var agent = await InProcessAgent.StartAsync(arguments))
        {
            var setup = await agent.WaitForSetupAsync(MysqlAgents.Wait);
            Assert.True(
                setup.State == ReplicationSetupState.Done,
                $"replica setup: {setup.StateName} {setup.Reason}"
            );
            await MysqlManualClone.InsertAsync(Primary, clone.Table, 11, 20);
            await WaitForRowsAsync(replica, clone.Table, 20);

            var status = (await replica.RowsAsync("SHOW REPLICA STATUS")).Single();
            output.WriteLine(string.Join(", ", status.Select(kv => $"{kv.Key}={kv.Value}")));
            Assert.Equal("Yes", status["Replica_IO_Running"]);
            Assert.Equal("Yes", status["Replica_SQL_Running"]);
            Assert.Equal(mode == "gtid" ? "1" : "0", status["Auto_Position"]);
            Assert.Equal("1", status["Get_Source_public_key"]);
            Assert.Equal("0", status["Last_IO_Errno"]);
            Assert.Equal("0", status["Last_SQL_Errno"]);
            Assert.Equal(1L, await replica.ScalarAsync<long>("SELECT @@GLOBAL.super_read_only"));

            // Readiness and /status from SHOW REPLICA STATUS.
            var ready = await Eventually.ValueAsync(
                () => GetAsync(agent, "/readyz"),
                r => r.Status == HttpStatusCode.OK,
                "the replica's /readyz answers 200"
            );
            // Lag is whole seconds behind the primary: 0 or 1 on a loaded machine.
            Assert.Matches(@"^ready: replica, IO and SQL threads running, lag \d+ s$", ready.Body);
            var json = JsonDocument.Parse((await GetAsync(agent, "/status")).Body).RootElement;
            output.WriteLine(json.ToString());
            Assert.Equal("replica", json.GetProperty("role").GetString());
            Assert.Equal("mysql", json.GetProperty("flavor").GetString());
            Assert.True(json.GetProperty("ioThreadRunning").GetBoolean());
            Assert.True(json.GetProperty("sqlThreadRunning").GetBoolean());
            Assert.InRange(json.GetProperty("lagSeconds").GetInt64(), 0, 30);
            Assert.Equal(
                "done",
                json.GetProperty("replicationSetup").GetProperty("state").GetString()
            );

            // caching_sha2_password without TLS: with the primary's cache flushed, the IO thread must
            // do the full authentication, which works only with GET_SOURCE_PUBLIC_KEY=1.
            await Primary.ExecuteAsync("FLUSH LOCAL PRIVILEGES");
            await replica.ExecuteAsync("STOP REPLICA IO_THREAD");
            await replica.ExecuteAsync("START REPLICA IO_THREAD");
            await MysqlManualClone.InsertAsync(Primary, clone.Table, 21, 30);
            await WaitForRowsAsync(replica, clone.Table, 30);

            // A stopped SQL thread: not ready, said so (once the watcher saw both threads again).
            await Eventually.ValueAsync(
                () => GetAsync(agent, "/readyz"),
                r => r.Status == HttpStatusCode.OK,
                "the replica's /readyz answers 200 after the IO thread's restart"
            );
            await replica.ExecuteAsync("STOP REPLICA SQL_THREAD");
            await Eventually.ValueAsync(
                () => GetAsync(agent, "/readyz"),
                r =>
                    r.Status == HttpStatusCode.ServiceUnavailable
                    && r.Body == "not ready: SQL thread stopped",
                "the replica's /readyz answers 503: SQL thread stopped"
            );
            await replica.ExecuteAsync("START REPLICA SQL_THREAD");
        }

        // At most once: a restarted agent finds its marker and the source, and changes nothing.
        await using (
            var again = await InProcessAgent.StartAsync(
                arguments with
                {
                    HttpPort = FreePorts.Next(),
                    BackupPort = FreePorts.Next(),
                }
            )
        )
        {
            var setup = await again.WaitForSetupAsync(MysqlAgents.Wait);
            Assert.Equal(ReplicationSetupState.Done, setup.State);
            Assert.Equal(
                1,
                (await again.SetupAttemptsAsync()).GetValueOrDefault("already_configured")
            );
        }

        await MysqlManualClone.InsertAsync(Primary, clone.Table, 31, 40);
        await WaitForRowsAsync(replica, clone.Table, 40);
        Assert.Equal(
            await Primary.ScalarAsync<string>($"CHECKSUM TABLE {clone.Table}"),
            await replica.ScalarAsync<string>($"CHECKSUM TABLE {clone.Table}")
        );
    }

    /// <summary>
    /// The MariaDB crash tests' twin (<see cref="SetupCrashScenario"/>): SIGKILL at every step of the
    /// setup, then a restart; MySQL's own GTID record confirms that the replica applied every
    /// transaction after the clone point, once, and none before it. One replica serves every case.
    /// </summary>
    [MysqlTheory(Timeout = 900_000)]
    [MemberData(nameof(SetupCrashPoints))]
    public async Task A_SIGKILL_at_any_step_of_the_setup_still_ends_in_one_change_of_source_applied_once(
        string mode,
        string crashPoint
    )
    {
        _primary = await shared.GetAsync(engine);
        await using var pair = await MysqlSetupCrashPair.CloneAsync(
            Primary,
            await crashReplica.FreshAsync(engine),
            mode,
            SetupCrashScenario.Database(mode, crashPoint)
        );
        output.WriteLine($"clone at {pair.Clone.File}:{pair.Clone.Offset} {pair.Clone.GtidSet}");

        await SetupCrashScenario.RunAsync(pair, crashPoint, output);

        var expected = await pair.ExpectedGtidsAsync(mode);
        Assert.True(
            await pair.ReplicaHasExactlyAsync(expected!),
            $"the replica's gtid_executed is {expected}; it is {await pair.ReplicaGtidsAsync()}"
        );
    }

    public static TheoryData<string, string> SetupCrashPoints() =>
        SetupCrashScenario.CrashPoints(MysqlSetupCrashPair.Statements);

    [MysqlFact(Timeout = 900_000)]
    public async Task A_wrong_replication_password_is_a_clear_permanent_error()
    {
        await using var clone = await CloneAsync("wrong_password", serverId: 4);
        var arguments = MysqlAgents.Replica(clone.Replica, Primary, clone.DataDir, "gtid") with
        {
            ReplicationPasswordValue = "not-the-primary's",
        };

        await using var agent = await InProcessAgent.StartAsync(arguments);
        var setup = await agent.WaitForSetupAsync(MysqlAgents.Wait);

        output.WriteLine(setup.Reason);
        Assert.Equal(ReplicationSetupState.FailedPermanently, setup.State);
        Assert.Contains(
            "refused the replication user 'repl'",
            setup.Reason,
            StringComparison.Ordinal
        );
        Assert.Contains("set the replication password", setup.Reason, StringComparison.Ordinal);
        Assert.Empty(await clone.Replica.RowsAsync("SHOW REPLICA STATUS"));
    }

    [MysqlTheory(Timeout = 600_000)]
    [InlineData("primary.cnf")]
    [InlineData("replica.cnf")]
    public async Task The_mysql84_overlays_cnf_is_accepted_by_this_mysqld(string file)
    {
        var cnf = await File.ReadAllBytesAsync(
            Path.Combine(MysqlEnvironment.RepositoryRoot, "manifests", "overlays", "mysql84", file)
        );
        _primary = await shared.GetAsync(engine);
        await Primary.Container.CopyAsync(cnf, "/tmp/" + file);

        var result = await Primary.Container.ExecAsync([
            "/usr/sbin/mysqld",
            "--defaults-file=/tmp/" + file,
            "--validate-config",
            "--user=root",
            "--datadir=/tmp/validate",
        ]);

        output.WriteLine(result.Stdout + result.Stderr);
        Assert.True(result.ExitCode == 0, $"{file}: exit {result.ExitCode}: {result.Stderr}");
    }

    /// <summary>
    /// A replica holding the primary's table as of now (rows 1-10, written with sql_log_bin=0) and
    /// the info file the backup tool would have written at this point (<see cref="MysqlManualClone"/>).
    /// </summary>
    private async Task<Clone> CloneAsync(string name, int serverId)
    {
        _primary = await shared.GetAsync(engine);
        var replica = await engine.StartAsync(serverId);
        var database = "mysql_" + name;
        var dataDir = Directory.CreateTempSubdirectory("mysql-agent-mysql-replica-").FullName;
        var position = await MysqlManualClone.CopyAsync(Primary, replica, database, 10, dataDir);
        output.WriteLine($"clone at {position.File}:{position.Offset} {position.GtidSet}");
        return new Clone(replica, dataDir, MysqlManualClone.Table(database));
    }

    private static Task WaitForRowsAsync(MysqlServer replica, string table, long count) =>
        Eventually.UntilAsync(
            async () => await replica.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}") == count,
            $"the replica has {count} rows in {table}",
            MysqlAgents.Wait,
            async () =>
                string.Join(
                    ", ",
                    (await replica.RowsAsync("SHOW REPLICA STATUS"))
                        .SelectMany(r => r)
                        .Where(kv =>
                            kv.Key.Contains("Running", StringComparison.Ordinal)
                            || kv.Key.Contains("Error", StringComparison.Ordinal)
                        )
                        .Select(kv => $"{kv.Key}={kv.Value}")
                )
        );

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(
        InProcessAgent agent,
        string path
    )
    {
        using var response = await agent.GetAsync(path);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
    }
}
