using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Configuration;
using MysqlAgent.Election;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Mysql;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Setup;
using MysqlAgent.Replication.Sql;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>
/// <see cref="Election.MariaDbFailoverSqlTests"/>'s twin on real MySQL: the rendered failover SQL
/// on a pair of containers with the semi-sync plugins loaded, as the mysql84 overlay loads them.
/// Fence, promote a replica once it applied what it received (WAIT_FOR_EXECUTED_GTID_SET), judge
/// the old primary against the fork point (GTID_SUBTRACT), rejoin it, spot an errant write; and
/// semi-sync: on only with a replica that acknowledges, then a commit waits while the replicas'
/// IO threads are stopped (the ACK fence). And the agent's own <see cref="Promotion"/> and
/// <see cref="Rejoin"/> around those statements, as the election runs them.
/// </summary>
[Collection(MysqlContainers.Name)]
[Trait("Category", "Slow")]
public sealed class MysqlFailoverSqlTests(MysqlEngine engine)
{
    private const string ReplPassword = "repl-pw-9Kq";
    private const string AppPassword = "app-pw-3Vd";

    private static readonly string[] Options =
    [
        "--plugin-load-add=semisync_source.so;semisync_replica.so",
        "--log-replica-updates=ON",
        "--skip-replica-start",
    ];

    [MysqlFact(Timeout = 900_000)]
    public async Task A_promoted_replica_holds_every_received_row_takes_writes_and_the_old_primary_rejoins_it_or_shows_errant()
    {
        var (oldPrimary, replica, version) = await StartPairAsync(21);
        await using var _ = oldPrimary;
        await using var __ = replica;

        // The replica follows through the rejoin statements (super_read_only, semi-sync replica).
        await RunAsync(replica, Rejoin(version, oldPrimary));
        await oldPrimary.ExecuteAsync("INSERT INTO f.t VALUES (4), (5), (6)");
        await Eventually.UntilAsync(
            async () => await Rows(replica) == 6,
            "the replica has rows 1-6"
        );
        Assert.Equal(1L, await replica.ScalarAsync<long>("SELECT @@GLOBAL.super_read_only"));
        await Assert.ThrowsAsync<MySqlException>(() => AppInsertAsync(replica, 100));

        // Failover: fence the old primary (even root cannot write), then promote the replica.
        await RunAsync(oldPrimary, [FailoverStatementRenderer.RenderReadOnly(version)]);
        await Assert.ThrowsAsync<MySqlException>(() =>
            oldPrimary.ExecuteAsync("INSERT INTO f.t VALUES (100)")
        );
        var status = (await replica.RowsAsync("SHOW REPLICA STATUS")).Single();
        var received = GtidSets.Union(
            MysqlGtidSet.Parse(await replica.GtidExecutedAsync() ?? ""),
            MysqlGtidSet.Parse(status["Retrieved_Gtid_Set"])
        );
        var plan = FailoverStatementRenderer.RenderPromotion(
            version,
            received.Text,
            new PromotionOptions(1, SemiSync: true, TimeSpan.FromSeconds(30))
        );
        await RunAsync(replica, plan.Before);
        Assert.True(
            plan.Wait.IsDone(await replica.ScalarAsync<object>(plan.Wait.Sql)),
            $"{plan.Wait} did not report done"
        );
        await RunAsync(replica, plan.Finish);
        var forkPoint = MysqlGtidSet.Parse(await replica.GtidExecutedAsync() ?? "");

        Assert.Equal(6, await Rows(replica));
        Assert.Equal(0L, await replica.ScalarAsync<long>("SELECT @@GLOBAL.super_read_only"));
        Assert.Equal(0L, await replica.ScalarAsync<long>("SELECT @@GLOBAL.read_only"));
        Assert.Equal(
            1L,
            await replica.ScalarAsync<long>("SELECT @@GLOBAL.rpl_semi_sync_source_enabled")
        );
        Assert.Equal(
            0L,
            await replica.ScalarAsync<long>("SELECT @@GLOBAL.rpl_semi_sync_replica_enabled")
        );
        Assert.Empty(await replica.RowsAsync("SHOW REPLICA STATUS"));
        Assert.True(GtidSets.IsSubset(received, forkPoint), $"{received} not in {forkPoint}");

        // The old primary wrote nothing after the fork point: not errant, it rejoins as a replica.
        var own = MysqlGtidSet.Parse(await oldPrimary.GtidExecutedAsync() ?? "");
        Assert.False(FailoverStatementRenderer.IsErrant(own, forkPoint));
        Assert.Equal(
            "",
            await oldPrimary.ScalarAsync<string>(
                FailoverStatementRenderer.RenderErrantQuery(forkPoint)
            )
        );
        await RunAsync(oldPrimary, Rejoin(version, replica));
        await AppInsertAsync(replica, 7);
        await Eventually.UntilAsync(
            async () => await Rows(oldPrimary) == 7,
            "the old primary replicates row 7 from the new one"
        );

        // A write the new primary never saw (the old primary made writable by mistake) is errant,
        // and the server's GTID_SUBTRACT names it by the old primary's UUID.
        await oldPrimary.ExecuteAsync(
            "STOP REPLICA; SET GLOBAL super_read_only = OFF; INSERT INTO f.t VALUES (99)"
        );
        var newPosition = MysqlGtidSet.Parse(await replica.GtidExecutedAsync() ?? "");
        own = MysqlGtidSet.Parse(await oldPrimary.GtidExecutedAsync() ?? "");
        Assert.True(FailoverStatementRenderer.IsErrant(own, newPosition));
        var uuid = await oldPrimary.ScalarAsync<string>("SELECT @@GLOBAL.server_uuid");
        Assert.StartsWith(
            uuid + ":",
            await oldPrimary.ScalarAsync<string>(
                FailoverStatementRenderer.RenderErrantQuery(newPosition)
            ),
            StringComparison.Ordinal
        );
    }

    [MysqlFact(Timeout = 900_000)]
    public async Task Semi_sync_turns_on_only_with_a_replica_that_acknowledges_and_then_a_commit_waits_until_a_replica_has_it()
    {
        var (primary, replica, version) = await StartPairAsync(23);
        await using var _ = primary;
        await using var __ = replica;

        // No replica yet: it stays off, and commits do not wait (a new set's first commits).
        Assert.Equal(SemiSyncSourceState.WaitingForReplica, await EnsureAsync(primary, version));
        await AppInsertAsync(primary, 4);
        Assert.Equal(
            0L,
            await primary.ScalarAsync<long>("SELECT @@GLOBAL.rpl_semi_sync_source_enabled")
        );

        await RunAsync(replica, Rejoin(version, primary));
        await Eventually.UntilAsync(
            async () => await EnsureAsync(primary, version) == SemiSyncSourceState.On,
            "semi-sync turned on once the replica is connected"
        );
        Assert.Equal(
            "AFTER_SYNC",
            await primary.ScalarAsync<string>("SELECT @@GLOBAL.rpl_semi_sync_source_wait_point")
        );
        var acknowledged = await Status(primary, "Rpl_semi_sync_source_yes_tx");
        await AppInsertAsync(primary, 5);
        Assert.Equal(acknowledged + 1, await Status(primary, "Rpl_semi_sync_source_yes_tx"));

        // The ACK fence: with the replica's IO thread stopped, a commit waits, unseen by others,
        // and its client has no answer; it completes once the replica has it.
        await RunAsync(replica, [FailoverStatementRenderer.RenderAckFence(version)]);
        var insert = AppInsertAsync(primary, 6);
        await Eventually.UntilAsync(
            async () =>
                await primary.ScalarAsync<long>(
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE '%semi-sync ACK%'"
                ) == 1,
            "the commit of row 6 waits for a semi-sync acknowledgement"
        );
        Assert.False(insert.IsCompleted, "the commit was acknowledged without a replica");
        await replica.ExecuteAsync("START REPLICA IO_THREAD");
        await insert;
        await Eventually.UntilAsync(
            async () =>
                await replica.ScalarAsync<long>("SELECT COUNT(*) FROM f.t WHERE id = 6") == 1,
            "the replica applies row 6"
        );
    }

    [MysqlFact(Timeout = 900_000)]
    public async Task The_agents_Rejoin_and_Promotion_follow_promote_and_rejoin_and_refuse_an_errant_server_on_MySQL()
    {
        var (first, second, version) = await StartPairAsync(25, AgentArguments.ReplicationPassword);
        await using var _ = first;
        await using var __ = second;
        var folders = new[]
        {
            Directory.CreateTempSubdirectory("mysql-agent-mysql-failover-").FullName,
            Directory.CreateTempSubdirectory("mysql-agent-mysql-failover-").FullName,
        };
        try
        {
            var firstOptions = AgentOptionsFor(0, first, second, folders[0]);
            var secondOptions = AgentOptionsFor(1, second, first, folders[1]);
            var logger = NullLogger.Instance;

            // Term 1: mysql-1 joins mysql-0 through the agent's Rejoin (fork point: what mysql-0 has).
            Assert.Empty(
                await new Rejoin(new LocalServer(secondOptions), secondOptions, logger).RunAsync(
                    "mysql-0",
                    1,
                    await first.GtidExecutedAsync() ?? "",
                    new Endpoint("mysql-0.mysql", 3306),
                    CancellationToken.None
                )
            );
            await first.ExecuteAsync("INSERT INTO f.t VALUES (4), (5), (6)");
            await Eventually.UntilAsync(
                async () => await Rows(second) == 6,
                "mysql-1 replicates rows 1-6 from mysql-0"
            );
            Assert.True(ReplicationSetupMarker.Done(secondOptions.DataDir).Exists);

            // Term 2: mysql-0 fenced, mysql-1 promoted by the agent's Promotion.
            await RunAsync(first, [FailoverStatementRenderer.RenderReadOnly(version)]);
            string? recorded = null;
            var (forkPoint, pending) = await new Promotion(
                new LocalServer(secondOptions),
                secondOptions,
                TimeProvider.System,
                logger
            ).RunAsync(
                2,
                forkPointRecorded: false,
                TimeSpan.FromSeconds(30),
                (point, _) =>
                {
                    recorded = point;
                    return Task.FromResult(true);
                },
                CancellationToken.None
            );
            Assert.True(forkPoint is not null, $"promotion pending: {pending}");
            Assert.Equal(forkPoint, recorded);
            // Everything mysql-0 had, read before the promotion's own writes (the Secret's users).
            Assert.Equal(await first.GtidExecutedAsync(), forkPoint);
            Assert.True(
                GtidSets.IsSubset(
                    MysqlGtidSet.Parse(forkPoint),
                    MysqlGtidSet.Parse(await second.GtidExecutedAsync() ?? "")
                )
            );
            Assert.Equal(6, await Rows(second));
            Assert.Equal(0L, await second.ScalarAsync<long>("SELECT @@GLOBAL.super_read_only"));
            Assert.Empty(await second.RowsAsync("SHOW REPLICA STATUS"));
            await AppInsertAsync(second, 7);

            // mysql-0 rejoins mysql-1 at term 2's fork point: nothing errant, it gets row 7.
            var rejoin = new Rejoin(new LocalServer(firstOptions), firstOptions, logger);
            Assert.Empty(
                await rejoin.RunAsync(
                    "mysql-1",
                    2,
                    forkPoint,
                    new Endpoint("mysql-1.mysql", 3306),
                    CancellationToken.None
                )
            );
            await Eventually.UntilAsync(
                async () => await Rows(first) == 7,
                "mysql-0 replicates row 7 from mysql-1"
            );
            Assert.Equal(1L, await first.ScalarAsync<long>("SELECT @@GLOBAL.super_read_only"));

            // A write mysql-1 never saw makes mysql-0 errant: Rejoin names it and changes nothing.
            await first.ExecuteAsync(
                "STOP REPLICA; SET GLOBAL super_read_only = OFF; INSERT INTO f.t VALUES (99); SET GLOBAL super_read_only = ON"
            );
            var errant = await rejoin.RunAsync(
                "mysql-1",
                3,
                await second.GtidExecutedAsync() ?? "",
                new Endpoint("mysql-1.mysql", 3306),
                CancellationToken.None
            );
            var uuid = await first.ScalarAsync<string>("SELECT @@GLOBAL.server_uuid");
            Assert.StartsWith(uuid + ":", Assert.Single(errant), StringComparison.Ordinal);
            Assert.Equal(
                "No",
                (await first.RowsAsync("SHOW REPLICA STATUS")).Single()["Replica_IO_Running"]
            );
        }
        finally
        {
            foreach (var folder in folders)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>
    /// The agent's options for pod mysql-<paramref name="ordinal"/> on <paramref name="local"/>,
    /// with the other pod's stable name mapped to its bridge address (as the peers' DNS would).
    /// </summary>
    private static AgentOptions AgentOptionsFor(
        int ordinal,
        MysqlServer local,
        MysqlServer other,
        string dataDir
    )
    {
        var secrets = new AgentSecrets(
            local.RootPassword,
            AgentArguments.ReplicationPassword,
            AgentArguments.BackupPassword
        );
        var otherName = string.Create(CultureInfo.InvariantCulture, $"mysql-{1 - ordinal}.mysql");
        return AgentOptionsReader.Read(
            OptionValues.Parse(
                [
                    "--hostname",
                    string.Create(CultureInfo.InvariantCulture, $"mysql-{ordinal}"),
                    "--data-dir",
                    dataDir,
                    "--mysql-host",
                    MariaDbServer.Host,
                    "--mysql-port",
                    local.Port.ToString(CultureInfo.InvariantCulture),
                    "--connect-to",
                    $"{otherName}:3306:{other.BridgeAddress}:3306",
                    "--connect-retry-seconds",
                    "1",
                ],
                secrets.Environment
            )
        );
    }

    /// <summary>Two MySQL servers with empty GTID histories, the users and rows 1-3 on the first.</summary>
    private async Task<(
        MysqlServer First,
        MysqlServer Second,
        ServerVersionInfo Version
    )> StartPairAsync(int serverId, string replPassword = ReplPassword)
    {
        var starts = new[]
        {
            engine.StartAsync(serverId, Options),
            engine.StartAsync(serverId + 1, Options),
        };
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }

        var (first, second) = (starts[0].Result, starts[1].Result);
        foreach (var server in new[] { first, second })
        {
            await server.ExecuteAsync("RESET BINARY LOGS AND GTIDS");
        }

        await first.ExecuteAsync(
            $"CREATE USER 'repl'@'%' IDENTIFIED BY {SqlLiteral.Quote(replPassword)}; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';"
                + $"CREATE USER 'app'@'%' IDENTIFIED BY '{AppPassword}'; GRANT ALL ON f.* TO 'app'@'%';"
                + "CREATE DATABASE f; CREATE TABLE f.t (id INT PRIMARY KEY);"
                + "INSERT INTO f.t VALUES (1), (2), (3)"
        );
        var version = ServerVersionInfo.Parse(
            await first.ScalarAsync<string>("SELECT VERSION()") ?? ""
        );
        Assert.Equal(ServerFlavor.MySql, version.Flavor);
        return (first, second, version);
    }

    /// <summary>Rejoin <paramref name="source"/>, reached on the engine's bridge as another pod would reach it.</summary>
    private static IReadOnlyList<ReplicationStatement> Rejoin(
        ServerVersionInfo version,
        MysqlServer source
    ) =>
        FailoverStatementRenderer.RenderRejoin(
            version,
            null,
            new ReplicationSource(source.BridgeAddress, 3306, "repl", ReplPassword, 1, 86400),
            new ReplicationLinkOptions(false),
            semiSync: true
        );

    private static async Task<SemiSyncSourceState> EnsureAsync(
        MysqlServer server,
        ServerVersionInfo version
    )
    {
        await using var connection = new MySqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        return (
            await SemiSyncSource.EnsureAsync(connection, version, CancellationToken.None)
        ).State;
    }

    private static async Task<long> Status(MysqlServer server, string name)
    {
        var row = (await server.RowsAsync($"SHOW GLOBAL STATUS LIKE '{name}'")).Single();
        return long.Parse(row["Value"], CultureInfo.InvariantCulture);
    }

    private static async Task RunAsync(
        MysqlServer server,
        IEnumerable<ReplicationStatement> statements
    )
    {
        foreach (var statement in statements)
        {
            await server.ExecuteAsync(statement.Sql);
        }
    }

    private static async Task AppInsertAsync(MysqlServer server, int id)
    {
        await using var connection = new MySqlConnection(
            server.ConnectionString("app", AppPassword)
        );
        await connection.OpenAsync();
        await using var insert = new MySqlCommand(
            string.Create(CultureInfo.InvariantCulture, $"INSERT INTO f.t VALUES ({id})"),
            connection
        );
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<long> Rows(MysqlServer server) =>
        await server.ScalarAsync<long>("SELECT COUNT(*) FROM f.t");
}
