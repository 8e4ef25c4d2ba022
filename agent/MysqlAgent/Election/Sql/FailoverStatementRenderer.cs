using System.Globalization;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Sql;

namespace MysqlAgent.Election;

/// <summary>
/// The SQL of fencing, promotion and rejoin, rendered for the connected server: MariaDB 10.x/11.x
/// and MySQL 8.0/8.4/9.x (semi-sync names changed to source/replica in 8.0.26). Every value goes
/// through <see cref="SqlLiteral"/>; nothing is executed here.
/// </summary>
/// <remarks>
/// The semi-sync variables exist only when the plugins are loaded (MySQL: the cnf's
/// <c>plugin-load-add</c>; MariaDB has them built in from 10.3.3). Promotion keeps the ACK wait
/// long (24 h) on purpose: a primary that lost its replicas stalls instead of silently turning
/// asynchronous, and is then fenced (moco's choice).
/// </remarks>
public static class FailoverStatementRenderer
{
    /// <summary>MySQL's and MariaDB's "unknown thread id": the connection ended by itself; ignore it.</summary>
    public const int UnknownThreadError = 1094;

    /// <summary>
    /// "Unknown system variable": MySQL without the semi-sync plugins loaded has no
    /// <c>rpl_semi_sync_*</c> variables.
    /// </summary>
    public const int UnknownSystemVariable = 1193;

    /// <summary>24 h, in the unit of <c>rpl_semi_sync_*_timeout</c> (milliseconds).</summary>
    public const long SemiSyncTimeoutMilliseconds = 86_400_000;

    private static readonly Version SemiSyncNewNames = new(8, 0, 26);

    private static readonly string[] ServerUsers = ["system user", "event_scheduler"];

    /// <summary>Step 1 of self-fencing: no more writes from clients (MySQL: not even from SUPER users).</summary>
    public static ReplicationStatement RenderReadOnly(ServerVersionInfo server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return ReplicationStatement.Plain(
            server.Flavor == ServerFlavor.MySql
                ? "SET GLOBAL super_read_only = ON"
                : "SET GLOBAL read_only = ON"
        );
    }

    /// <summary>
    /// Lists the client connections to kill when fencing: every connection except this one, the
    /// server's own threads, replicas' binlog dump threads (they let replicas catch up), and the
    /// users in <paramref name="keepUsers"/> (the agent's own). Answers one column, <c>ID</c>.
    /// </summary>
    public static string RenderClientConnectionsQuery(
        IReadOnlyCollection<string> keepUsers,
        SqlQuoteMode mode = SqlQuoteMode.BackslashEscapes
    )
    {
        ArgumentNullException.ThrowIfNull(keepUsers);
        var users = ServerUsers.Concat(keepUsers).Select(u => SqlLiteral.Quote(u, mode));
        return "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
            + $" AND USER NOT IN ({string.Join(", ", users)})"
            + " AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon')";
    }

    /// <summary>Step 2 of self-fencing, per connection; error <see cref="UnknownThreadError"/> means it is gone already.</summary>
    public static ReplicationStatement RenderKill(long connectionId) =>
        connectionId > 0
            ? ReplicationStatement.Plain("KILL CONNECTION " + SqlLiteral.Number(connectionId))
            : throw new ArgumentOutOfRangeException(
                nameof(connectionId),
                connectionId,
                "a connection id is positive"
            );

    /// <summary>The ACK fence, on a replica: the old primary gets no acknowledgement from it, so cannot commit.</summary>
    public static ReplicationStatement RenderAckFence(ServerVersionInfo server) =>
        ReplicationStatement.Plain(ReplicationDialect.For(server).StopReplica + " IO_THREAD");

    /// <summary>
    /// Waits (blocking, up to <paramref name="timeout"/>) until this server has applied
    /// <paramref name="target"/>: a MySQL GTID set, or a MariaDB GTID position.
    /// </summary>
    public static WaitStatement RenderWaitFor(
        ServerVersionInfo server,
        string target,
        TimeSpan timeout
    )
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(target);
        var seconds = SqlLiteral.Number((long)Math.Ceiling(timeout.TotalSeconds));
        if (server.Flavor == ServerFlavor.MySql)
        {
            var set = MysqlGtidSet.Parse(target);
            return new WaitStatement(
                $"SELECT WAIT_FOR_EXECUTED_GTID_SET({SqlLiteral.Quote(set.Text)}, {seconds})",
                DoneValue: 0
            );
        }

        var position = MariaDbGtidPosition.Parse(target);
        return new WaitStatement(
            $"SELECT MASTER_GTID_WAIT({SqlLiteral.Quote(position.Text)}, {seconds})",
            DoneValue: 0
        );
    }

    /// <summary>
    /// Promotion of a replica that won a term, in three parts: stop fetching; wait until the relay
    /// log is applied up to <paramref name="received"/> (the server's executed + retrieved GTIDs,
    /// or its <c>Gtid_IO_Pos</c>); then forget the source (<c>RESET ... ALL</c>, so no stale source
    /// survives a restart: moco #926), swap the semi-sync roles and become writable.
    /// </summary>
    public static PromotionPlan RenderPromotion(
        ServerVersionInfo server,
        string received,
        PromotionOptions options
    )
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        var dialect = ReplicationDialect.For(server);
        var names = SemiSyncNames.For(server);
        var finish = new List<ReplicationStatement>
        {
            ReplicationStatement.Plain(dialect.StopReplica),
            ReplicationStatement.Plain(dialect.ResetReplicaAll),
            Set(names.ReplicaEnabled, "OFF"),
        };
        if (options.SemiSync)
        {
            finish.AddRange(RenderSourceSemiSync(server, options.AckCount));
        }
        else
        {
            finish.Add(Set(names.SourceEnabled, "OFF"));
        }

        if (server.Flavor == ServerFlavor.MySql)
        {
            finish.Add(Set("super_read_only", "OFF"));
        }

        finish.Add(Set("read_only", "OFF"));
        return new PromotionPlan(
            [RenderAckFence(server)],
            RenderWaitFor(server, received, options.ApplyTimeout),
            finish
        );
    }

    /// <summary>
    /// Turns the primary's side of semi-synchronous replication on: each commit waits, after it is
    /// written to the binary log and before the client hears of it (AFTER_SYNC), until
    /// <paramref name="ackCount"/> replicas (MySQL; MariaDB: one) have it, for up to 24 h.
    /// </summary>
    public static IReadOnlyList<ReplicationStatement> RenderSourceSemiSync(
        ServerVersionInfo server,
        int ackCount
    )
    {
        ArgumentNullException.ThrowIfNull(server);
        var names = SemiSyncNames.For(server);
        var statements = new List<ReplicationStatement>
        {
            Set(names.SourceTimeout, SqlLiteral.Number(SemiSyncTimeoutMilliseconds)),
            Set(names.SourceWaitPoint, "AFTER_SYNC"),
        };
        if (names.WaitForReplicaCount is { } count)
        {
            statements.Add(Set(count, SqlLiteral.Number(ackCount)));
        }

        statements.Add(Set(names.SourceEnabled, "ON"));
        return statements;
    }

    /// <summary>
    /// Whether the primary's semi-sync is on: one value, 1 or 0 (an error 1193 when the plugin is
    /// not loaded).
    /// </summary>
    public static string RenderSourceSemiSyncEnabledQuery(ServerVersionInfo server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return $"SELECT @@GLOBAL.{SemiSyncNames.For(server).SourceEnabled}";
    }

    /// <summary>
    /// The replicas connected to this server that would acknowledge (semi-sync on their side),
    /// counted even while the primary's side is off: a row (name, value).
    /// </summary>
    public static string RenderSemiSyncReplicasQuery(ServerVersionInfo server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return $"SHOW GLOBAL STATUS LIKE {SqlLiteral.Quote(SemiSyncNames.For(server).ClientsStatus)}";
    }

    /// <summary>
    /// MySQL: the errant transactions of a rejoining server against the fork point (empty text =
    /// none). <c>GTID_SUBSET</c> gives the yes/no; the subtraction also names them for the log.
    /// </summary>
    public static string RenderErrantQuery(MysqlGtidSet forkPoint)
    {
        ArgumentNullException.ThrowIfNull(forkPoint);
        return $"SELECT GTID_SUBTRACT(@@GLOBAL.gtid_executed, {SqlLiteral.Quote(forkPoint.Text)})";
    }

    /// <summary>
    /// MariaDB (no server function for it): the GTIDs of <paramref name="own"/> beyond
    /// <paramref name="forkPoint"/>, per domain. Under <c>gtid_strict_mode</c> a domain's history is
    /// a prefix, so a higher sequence number, or a domain the fork point lacks, is errant.
    /// </summary>
    public static IReadOnlyList<MariaDbGtid> ErrantGtids(
        MariaDbGtidPosition own,
        MariaDbGtidPosition forkPoint
    )
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(forkPoint);
        var fork = forkPoint.Gtids.ToDictionary(g => g.Domain, g => g.Sequence);
        return own.Gtids.Where(g => g.Sequence > fork.GetValueOrDefault(g.Domain)).ToArray();
    }

    /// <summary>
    /// MySQL: the errant transactions, computed in the agent (same answer as
    /// <see cref="RenderErrantQuery"/>, for when the server is down): whether <paramref name="own"/>
    /// holds anything outside <paramref name="forkPoint"/>.
    /// </summary>
    public static bool IsErrant(MysqlGtidSet own, MysqlGtidSet forkPoint) =>
        !GtidSets.IsSubset(own, forkPoint);

    /// <summary>
    /// Rejoin of a server that passed the errant check: read-only, semi-sync as a replica, then the
    /// usual replication setup pointed at the new primary by GTID (<paramref name="ownPosition"/>:
    /// MariaDB's <c>@@gtid_current_pos</c>, which becomes <c>gtid_slave_pos</c>; ignored on MySQL,
    /// whose auto-position needs none).
    /// </summary>
    public static IReadOnlyList<ReplicationStatement> RenderRejoin(
        ServerVersionInfo server,
        MariaDbGtidPosition? ownPosition,
        ReplicationSource newPrimary,
        ReplicationLinkOptions link,
        bool semiSync
    )
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(newPrimary);
        ArgumentNullException.ThrowIfNull(link);
        var names = SemiSyncNames.For(server);
        ReplicationStart start =
            server.Flavor == ServerFlavor.MySql
                ? new MysqlGtidStart(MysqlGtidSet.Empty)
                : new MariaDbGtidStart(
                    ownPosition
                        ?? throw new ArgumentNullException(
                            nameof(ownPosition),
                            "MariaDB needs the server's gtid_current_pos"
                        )
                );
        var setup = ReplicationStatementRenderer.RenderSetup(
            server,
            start,
            newPrimary,
            link with
            {
                ReplaceGtidHistory = false,
            }
        );
        var statements = new List<ReplicationStatement>
        {
            RenderReadOnly(server),
            Set(names.SourceEnabled, "OFF"),
            Set(names.ReplicaEnabled, semiSync ? "ON" : "OFF"),
        };
        statements.AddRange(setup);
        return statements;
    }

    private static ReplicationStatement Set(string variable, string value) =>
        ReplicationStatement.Plain($"SET GLOBAL {variable} = {value}");

    private sealed record SemiSyncNames(
        string SourceEnabled,
        string ReplicaEnabled,
        string SourceTimeout,
        string SourceWaitPoint,
        string ClientsStatus,
        string? WaitForReplicaCount
    )
    {
        public static SemiSyncNames For(ServerVersionInfo server) =>
            server.Flavor == ServerFlavor.MariaDb
                ? new(
                    "rpl_semi_sync_master_enabled",
                    "rpl_semi_sync_slave_enabled",
                    "rpl_semi_sync_master_timeout",
                    "rpl_semi_sync_master_wait_point",
                    "Rpl_semi_sync_master_clients",
                    null
                )
            : server.Version >= SemiSyncNewNames
                ? new(
                    "rpl_semi_sync_source_enabled",
                    "rpl_semi_sync_replica_enabled",
                    "rpl_semi_sync_source_timeout",
                    "rpl_semi_sync_source_wait_point",
                    "Rpl_semi_sync_source_clients",
                    "rpl_semi_sync_source_wait_for_replica_count"
                )
            : new(
                "rpl_semi_sync_master_enabled",
                "rpl_semi_sync_slave_enabled",
                "rpl_semi_sync_master_timeout",
                "rpl_semi_sync_master_wait_point",
                "Rpl_semi_sync_master_clients",
                "rpl_semi_sync_master_wait_for_slave_count"
            );
    }
}

/// <summary>A query that blocks until done; its single value is <paramref name="DoneValue"/> when done (else a timeout or NULL for an error).</summary>
public sealed record WaitStatement(string Sql, long DoneValue)
{
    public bool IsDone(object? value) =>
        value is not null and not DBNull
        && Convert.ToInt64(value, CultureInfo.InvariantCulture) == DoneValue;

    public override string ToString() => Sql;
}

/// <summary>
/// <paramref name="AckCount"/>: replicas that must acknowledge each commit (MySQL only; MariaDB always 1).
/// <paramref name="SemiSync"/>: false for the opt-in asynchronous durability.
/// <paramref name="ApplyTimeout"/>: how long the relay log may take to apply.
/// </summary>
public sealed record PromotionOptions(int AckCount, bool SemiSync, TimeSpan ApplyTimeout);

/// <summary>Run <see cref="Before"/>, then <see cref="Wait"/> until done (else abort), then <see cref="Finish"/>.</summary>
public sealed record PromotionPlan(
    IReadOnlyList<ReplicationStatement> Before,
    WaitStatement Wait,
    IReadOnlyList<ReplicationStatement> Finish
);
