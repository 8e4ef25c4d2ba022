using MysqlAgent.Election;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Sql;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlAgent.IntegrationTests.Election;

/// <summary>
/// The rendered failover SQL run on a real mariadbd pair: fence, promote a replica after it applied
/// what it had received, judge the old primary against the fork point, rejoin it, and spot an
/// errant write. Not the elector: the statements a later serve loop will run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MariaDbFailoverSqlTests
{
    private const string ReplPassword = "repl-pw";
    private const string AppPassword = "app-pw";

    [Fact(Timeout = 300_000)]
    public async Task A_promoted_replica_holds_every_received_row_takes_writes_and_the_old_primary_rejoins_it_or_shows_errant()
    {
        var (servers, version) = await StartPairAsync();
        await using var _ = servers;
        var (oldPrimary, replica) = (servers[0], servers[1]);

        // The replica follows through the rejoin statements (read-only, semi-sync replica role).
        await RunAsync(
            replica,
            FailoverStatementRenderer.RenderRejoin(
                version,
                await CurrentPos(replica),
                SourceOf(oldPrimary),
                new ReplicationLinkOptions(false),
                semiSync: true
            )
        );
        await oldPrimary.ExecuteAsync("INSERT INTO f.t VALUES (4), (5), (6)");
        await Eventually.UntilAsync(
            async () => await Rows(replica) == 6,
            "the replica has rows 1-6"
        );
        Assert.Equal(1L, await replica.ScalarAsync<long>("SELECT @@GLOBAL.read_only"));
        await Assert.ThrowsAsync<MySqlException>(() => AppInsertAsync(replica, 100));

        // Failover: fence the old primary, then promote the replica.
        await RunAsync(oldPrimary, [FailoverStatementRenderer.RenderReadOnly(version)]);
        await Assert.ThrowsAsync<MySqlException>(() => AppInsertAsync(oldPrimary, 100));
        var received = await IoPos(replica);
        var plan = FailoverStatementRenderer.RenderPromotion(
            version,
            received,
            new PromotionOptions(1, SemiSync: true, TimeSpan.FromSeconds(30))
        );
        await RunAsync(replica, plan.Before);
        Assert.True(
            plan.Wait.IsDone(await replica.ScalarAsync<object>(plan.Wait.Sql)),
            $"{plan.Wait} did not report done"
        );
        await RunAsync(replica, plan.Finish);
        var forkPoint = await CurrentPos(replica);

        Assert.Equal(6, await Rows(replica));
        Assert.Equal(0L, await replica.ScalarAsync<long>("SELECT @@GLOBAL.read_only"));
        Assert.Equal(
            1L,
            await replica.ScalarAsync<long>("SELECT @@GLOBAL.rpl_semi_sync_master_enabled")
        );
        Assert.Null(await SlaveStatus(replica, "Master_Host"));
        Assert.Equal("0-1-" + forkPoint.Gtids[0].Sequence, forkPoint.Text);

        // The old primary wrote nothing after the fork point: not errant, it rejoins as a replica.
        Assert.Empty(
            FailoverStatementRenderer.ErrantGtids(await CurrentPos(oldPrimary), forkPoint)
        );
        await RunAsync(
            oldPrimary,
            FailoverStatementRenderer.RenderRejoin(
                version,
                await CurrentPos(oldPrimary),
                SourceOf(replica),
                new ReplicationLinkOptions(false),
                semiSync: true
            )
        );
        await AppInsertAsync(replica, 7);
        await Eventually.UntilAsync(
            async () => await Rows(oldPrimary) == 7,
            "the old primary replicates row 7 from the new one"
        );

        // A write the new primary never saw (the old primary made writable by mistake) is errant.
        await oldPrimary.ExecuteAsync(
            "STOP SLAVE; SET GLOBAL read_only = OFF; INSERT INTO f.t VALUES (99)"
        );
        var errant = FailoverStatementRenderer.ErrantGtids(
            await CurrentPos(oldPrimary),
            await CurrentPos(replica)
        );
        Assert.Equal(
            [
                new MariaDbGtid(
                    0,
                    (uint)oldPrimary.ServerId,
                    (await CurrentPos(replica)).Gtids[0].Sequence + 1
                ),
            ],
            errant
        );
    }

    [Fact(Timeout = 300_000)]
    public async Task Semi_sync_turns_on_only_with_a_replica_that_acknowledges_and_then_a_commit_waits_until_a_replica_has_it()
    {
        var (servers, version) = await StartPairAsync();
        await using var _ = servers;
        var (primary, replica) = (servers[0], servers[1]);

        // No replica yet: it stays off, and commits do not wait (a new set's first commits).
        Assert.Equal(SemiSyncSourceState.WaitingForReplica, await EnsureAsync(primary, version));
        await AppInsertAsync(primary, 4);
        Assert.Equal(
            0L,
            await primary.ScalarAsync<long>("SELECT @@GLOBAL.rpl_semi_sync_master_enabled")
        );

        await RunAsync(
            replica,
            FailoverStatementRenderer.RenderRejoin(
                version,
                await CurrentPos(replica),
                SourceOf(primary),
                new ReplicationLinkOptions(false),
                semiSync: true
            )
        );
        await Eventually.UntilAsync(
            async () => await EnsureAsync(primary, version) == SemiSyncSourceState.On,
            "semi-sync turned on once the replica is connected"
        );
        Assert.Equal(
            "AFTER_SYNC",
            await primary.ScalarAsync<string>("SELECT @@GLOBAL.rpl_semi_sync_master_wait_point")
        );
        var acknowledged = await Status(primary, "Rpl_semi_sync_master_yes_tx");
        await AppInsertAsync(primary, 5);
        Assert.Equal(acknowledged + 1, await Status(primary, "Rpl_semi_sync_master_yes_tx"));

        // The replica stops fetching (the ACK fence): a commit waits, unseen by others, and its
        // client has no answer; it completes once the replica has it.
        await replica.ExecuteAsync("STOP SLAVE IO_THREAD");
        var insert = AppInsertAsync(primary, 6);
        await Eventually.UntilAsync(
            async () =>
                await primary.ScalarAsync<long>(
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE '%semi-sync ACK%'"
                ) == 1,
            "the commit of row 6 waits for a semi-sync acknowledgement"
        );
        Assert.False(insert.IsCompleted, "the commit was acknowledged without a replica");
        Assert.Equal(0L, await primary.ScalarAsync<long>("SELECT COUNT(*) FROM f.t WHERE id = 6"));
        await replica.ExecuteAsync("START SLAVE IO_THREAD");
        await insert;
        await Eventually.UntilAsync(
            async () =>
                await replica.ScalarAsync<long>("SELECT COUNT(*) FROM f.t WHERE id = 6") == 1,
            "the replica applies row 6"
        );
    }

    /// <summary>Two empty mariadbd with the users and rows 1-3 on the first.</summary>
    private static async Task<(MariaDbServers Servers, ServerVersionInfo Version)> StartPairAsync()
    {
        var servers = await MariaDbServers.StartAsync(
            2,
            new MariaDbServerOptions { GtidStrictMode = true }
        );
        foreach (var server in servers)
        {
            await server.ExecuteAsync("RESET MASTER");
            await server.ExecuteAsync("SET GLOBAL gtid_slave_pos = ''");
        }

        await servers[0]
            .ExecuteAsync(
                $"CREATE USER 'repl'@'%' IDENTIFIED BY '{ReplPassword}'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';"
                    + $"CREATE USER 'app'@'%' IDENTIFIED BY '{AppPassword}'; GRANT ALL ON f.* TO 'app'@'%';"
                    + "CREATE DATABASE f; CREATE TABLE f.t (id INT PRIMARY KEY);"
                    + "INSERT INTO f.t VALUES (1), (2), (3)"
            );
        var version = ServerVersionInfo.Parse(
            await servers[0].ScalarAsync<string>("SELECT VERSION()") ?? ""
        );
        return (servers, version);
    }

    private static async Task<SemiSyncSourceState> EnsureAsync(
        MariaDbServer server,
        ServerVersionInfo version
    )
    {
        await using var connection = await server.OpenConnectionAsync();
        return (
            await SemiSyncSource.EnsureAsync(connection, version, CancellationToken.None)
        ).State;
    }

    private static async Task<long> Status(MariaDbServer server, string name)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var command = new MySqlCommand($"SHOW GLOBAL STATUS LIKE '{name}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no status {name}");
        return long.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ReplicationSource SourceOf(MariaDbServer server) =>
        new(MariaDbServer.Host, server.Port, "repl", ReplPassword, 1, 86400);

    private static async Task RunAsync(
        MariaDbServer server,
        IEnumerable<ReplicationStatement> statements
    )
    {
        foreach (var statement in statements)
        {
            await server.ExecuteAsync(statement.Sql);
        }
    }

    private static async Task AppInsertAsync(MariaDbServer server, int id)
    {
        await using var connection = new MySqlConnection(
            server.ConnectionStringFor("app", AppPassword, "f")
        );
        await connection.OpenAsync();
        await using var insert = new MySqlCommand($"INSERT INTO t VALUES ({id})", connection);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<long> Rows(MariaDbServer server) =>
        await server.ScalarAsync<long>("SELECT COUNT(*) FROM f.t");

    private static async Task<MariaDbGtidPosition> CurrentPos(MariaDbServer server) =>
        MariaDbGtidPosition.Parse(
            await server.ScalarAsync<string>("SELECT @@GLOBAL.gtid_current_pos") ?? ""
        );

    private static async Task<string> IoPos(MariaDbServer server) =>
        await SlaveStatus(server, "Gtid_IO_Pos") ?? "";

    /// <summary>One column of SHOW SLAVE STATUS, or null when the server replicates from nobody.</summary>
    private static async Task<string?> SlaveStatus(MariaDbServer server, string column)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var command = new MySqlCommand("SHOW SLAVE STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? Convert.ToString(reader[column], System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
