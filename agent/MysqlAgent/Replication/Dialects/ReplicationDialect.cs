namespace MysqlAgent.Replication.Dialects;

/// <summary>
/// The replication SQL one server understands. Pick it with <see cref="For"/>; everything else in
/// the agent reads statements and column names from here instead of spelling dialect SQL.
/// </summary>
/// <remarks>
/// MySQL 8.0.22 added <c>START/STOP/RESET REPLICA</c> and <c>SHOW REPLICA STATUS</c> (new column
/// names); 8.0.23 added <c>CHANGE REPLICATION SOURCE TO</c> with <c>SOURCE_*</c> options; 8.2 added
/// <c>SHOW BINARY LOG STATUS</c> and <c>RESET BINARY LOGS AND GTIDS</c>, and 8.4 removed the old
/// forms. MariaDB keeps <c>CHANGE MASTER TO</c> and the old column names, has no
/// <c>MASTER_RETRY_COUNT</c> in 10.x/11.x (it is the server option <c>master_retry_count</c>).
/// </remarks>
public sealed class ReplicationDialect
{
    private static readonly Version MySqlMinimum = new(5, 7, 0);
    private static readonly Version MariaDbMinimum = new(10, 2, 0);

    private ReplicationDialect() { }

    public required ServerVersionInfo Server { get; init; }

    /// <summary><c>CHANGE REPLICATION SOURCE TO</c> or <c>CHANGE MASTER TO</c>.</summary>
    public required string ChangeSourceTo { get; init; }

    /// <summary>The prefix of the connection options: <c>SOURCE_</c> or <c>MASTER_</c>.</summary>
    public required string OptionPrefix { get; init; }

    public required string StartReplica { get; init; }

    public required string StopReplica { get; init; }

    /// <summary>Forgets the source and the relay logs (<c>RESET REPLICA ALL</c> / <c>RESET SLAVE ALL</c>).</summary>
    public required string ResetReplicaAll { get; init; }

    public required string ReplicaStatus { get; init; }

    /// <summary>The server's own binlog position: <c>SHOW BINARY LOG STATUS</c> or <c>SHOW MASTER STATUS</c>.</summary>
    public required string BinaryLogStatus { get; init; }

    /// <summary>MySQL only (null for MariaDB): empties <c>gtid_executed</c> so <c>gtid_purged</c> can be set.</summary>
    public required string? ResetGtidHistory { get; init; }

    /// <summary>
    /// The option that fetches the source's RSA key so <c>caching_sha2_password</c> (default from MySQL
    /// 8.0.4) works over a link without TLS; null where it is not needed.
    /// </summary>
    public required string? GetPublicKeyOption { get; init; }

    /// <summary>Whether <c>CHANGE ... TO</c> takes a retry count (<c>SOURCE_RETRY_COUNT</c> / <c>MASTER_RETRY_COUNT</c>).</summary>
    public required bool SupportsRetryCount { get; init; }

    public required ReplicaStatusColumns Columns { get; init; }

    public ServerFlavor Flavor => Server.Flavor;

    /// <exception cref="ReplicationSetupException">The server is older than MySQL 5.7 or MariaDB 10.2.</exception>
    public static ReplicationDialect For(ServerVersionInfo server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var v = server.Version;
        if (server.Flavor == ServerFlavor.MariaDb)
        {
            RequireAtLeast(server, MariaDbMinimum);
            return new ReplicationDialect
            {
                Server = server,
                ChangeSourceTo = "CHANGE MASTER TO",
                OptionPrefix = "MASTER_",
                StartReplica = "START SLAVE",
                StopReplica = "STOP SLAVE",
                ResetReplicaAll = "RESET SLAVE ALL",
                ReplicaStatus = "SHOW SLAVE STATUS",
                BinaryLogStatus = "SHOW MASTER STATUS",
                ResetGtidHistory = null,
                GetPublicKeyOption = null,
                SupportsRetryCount = false,
                Columns = ReplicaStatusColumns.MariaDb,
            };
        }

        RequireAtLeast(server, MySqlMinimum);
        var replicaWords = v >= new Version(8, 0, 22);
        var sourceWords = v >= new Version(8, 0, 23);
        var binaryLogWords = v >= new Version(8, 2, 0);
        return new ReplicationDialect
        {
            Server = server,
            ChangeSourceTo = sourceWords ? "CHANGE REPLICATION SOURCE TO" : "CHANGE MASTER TO",
            OptionPrefix = sourceWords ? "SOURCE_" : "MASTER_",
            StartReplica = replicaWords ? "START REPLICA" : "START SLAVE",
            StopReplica = replicaWords ? "STOP REPLICA" : "STOP SLAVE",
            ResetReplicaAll = replicaWords ? "RESET REPLICA ALL" : "RESET SLAVE ALL",
            ReplicaStatus = replicaWords ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS",
            BinaryLogStatus = binaryLogWords ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS",
            ResetGtidHistory = binaryLogWords ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER",
            GetPublicKeyOption =
                v >= new Version(8, 0, 4)
                    ? (sourceWords ? "GET_SOURCE_PUBLIC_KEY=1" : "GET_MASTER_PUBLIC_KEY=1")
                    : null,
            SupportsRetryCount = true,
            Columns = replicaWords
                ? ReplicaStatusColumns.MySqlReplica
                : ReplicaStatusColumns.MySqlSlave,
        };
    }

    private static void RequireAtLeast(ServerVersionInfo server, Version minimum)
    {
        if (server.Version < minimum)
        {
            throw new ReplicationSetupException(
                $"server version \"{server.Raw}\" is not supported: replication setup needs {server.Flavor} {minimum.ToString(2)} or newer"
            );
        }
    }
}
