using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Health;

/// <summary>A primary and a replica replicating from it with MariaDB GTIDs, set up by hand.</summary>
internal sealed class ReplicationPair : IAsyncDisposable
{
    private ReplicationPair(MariaDbServer primary, MariaDbServer replica)
    {
        Primary = primary;
        Replica = replica;
    }

    public MariaDbServer Primary { get; }
    public MariaDbServer Replica { get; }

    /// <param name="replicaArgs">Extra mariadbd options for the replica, e.g. <c>--slave-net-timeout=5</c>.</param>
    public static async Task<ReplicationPair> StartAsync(IReadOnlyList<string>? replicaArgs = null)
    {
        var servers = await Task.WhenAll(
            MariaDbServer.StartAsync(new MariaDbServerOptions { ServerId = 1 }),
            MariaDbServer.StartAsync(
                new MariaDbServerOptions { ServerId = 2, ExtraArgs = replicaArgs ?? [] }
            )
        );
        var pair = new ReplicationPair(servers[0], servers[1]);
        try
        {
            await pair.Primary.ExecuteAsync(
                "CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-secret'; "
                    + "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'"
            );
            // Start from the primary's current position: its history (the fixture's own account
            // set-up) already happened on the replica's fresh install and would collide there.
            var position = await pair.Primary.ScalarAsync<string>("SELECT @@gtid_current_pos");
            await pair.Replica.ExecuteAsync(
                $"SET GLOBAL gtid_slave_pos = '{position}'; "
                    + $"CHANGE MASTER TO MASTER_HOST='{MariaDbServer.Host}', MASTER_PORT={pair.Primary.Port}, "
                    + "MASTER_USER='repl', MASTER_PASSWORD='repl-secret', MASTER_CONNECT_RETRY=1, "
                    + "MASTER_USE_GTID=slave_pos; START SLAVE"
            );
            await pair.Primary.ExecuteAsync(
                "CREATE DATABASE health; CREATE TABLE health.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; "
                    + "INSERT INTO health.t VALUES (1, 0)"
            );
            await pair.WaitForReplicaAsync("SELECT COUNT(*) FROM health.t", 1);
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="sql"/> on the replica returns <paramref name="expected"/>.</summary>
    public Task WaitForReplicaAsync(string sql, long expected) =>
        Eventually.ValueAsync(
            () => Replica.ScalarAsync<long>(sql),
            answer => answer == expected,
            $"the replica answers {expected} to {sql}",
            diagnostics: () => Task.FromResult(Replica.ErrorLogTail())
        );

    public async ValueTask DisposeAsync()
    {
        await Replica.DisposeAsync();
        await Primary.DisposeAsync();
    }
}
