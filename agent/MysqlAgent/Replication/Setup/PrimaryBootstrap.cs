using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Sql;
using MySqlConnector;

namespace MysqlAgent.Replication.Setup;

/// <summary>
/// On the primary: the replication and backup users exist with least privileges and the passwords
/// from the Secret (idempotent; replicas get them through replication), and the server is writable.
/// </summary>
public static class PrimaryBootstrap
{
    /// <summary>Hosts the backup user may connect from: the backup tool always runs beside mysqld.</summary>
    private static readonly string[] BackupHosts = ["localhost", "127.0.0.1", "::1"];

    public static IReadOnlyList<ReplicationStatement> Render(
        ServerVersionInfo server,
        AgentOptions options,
        SqlQuoteMode mode
    )
    {
        var statements = new List<ReplicationStatement>();
        var replication = Account(options.ReplicationUser, "%", mode);
        AddUser(statements, replication, options.ReplicationPassword!.Value, mode);
        statements.Add(
            ReplicationStatement.Plain($"GRANT REPLICATION SLAVE ON *.* TO {replication}")
        );

        foreach (var host in BackupHosts)
        {
            var backup = Account(options.BackupUser, host, mode);
            AddUser(statements, backup, options.BackupPassword!.Value, mode);
            foreach (var grant in BackupGrants(server))
            {
                statements.Add(ReplicationStatement.Plain($"GRANT {grant} TO {backup}"));
            }
        }

        return statements;
    }

    public static async Task RunAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        AgentOptions options,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var mode = await SqlExecution
            .QuoteModeAsync(connection, cancellationToken)
            .ConfigureAwait(false);
        await ServerRoleSettings
            .MakeWritableAsync(connection, server, cancellationToken)
            .ConfigureAwait(false);
        foreach (var statement in Render(server, options, mode))
        {
            ReplicationLog.Executing(logger, statement.Redacted);
            await SqlExecution
                .ExecuteAsync(connection, statement.Sql, cancellationToken)
                .ConfigureAwait(false);
        }

        ReplicationLog.PrimaryReady(
            logger,
            $"{options.ReplicationUser}@%, {options.BackupUser}@{string.Join("/", BackupHosts)}"
        );
    }

    /// <summary>What the backup tool needs and nothing more, per the tools' documentation.</summary>
    private static IEnumerable<string> BackupGrants(ServerVersionInfo server)
    {
        if (server.Flavor == ServerFlavor.MariaDb)
        {
            yield return server.Version >= new Version(10, 5, 9)
                ? "RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR ON *.*"
                : "RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*";
            yield break;
        }

        if (server.Version < new Version(8, 0, 0))
        {
            yield return "RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*";
            yield break;
        }

        yield return "BACKUP_ADMIN, RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*";
        yield return "SELECT ON performance_schema.log_status";
        yield return "SELECT ON performance_schema.replication_group_members";
        if (server.Version >= new Version(8, 0, 24))
        {
            yield return "SELECT ON performance_schema.keyring_component_status";
        }
    }

    private static string Account(string user, string host, SqlQuoteMode mode) =>
        $"{SqlLiteral.Quote(user, mode)}@{SqlLiteral.Quote(host, mode)}";

    private static void AddUser(
        List<ReplicationStatement> statements,
        string account,
        string password,
        SqlQuoteMode mode
    )
    {
        var quoted = SqlLiteral.Quote(password, mode);
        statements.Add(
            new ReplicationStatement(
                $"CREATE USER IF NOT EXISTS {account} IDENTIFIED BY {quoted}",
                $"CREATE USER IF NOT EXISTS {account} IDENTIFIED BY {ReplicationStatement.Mask}"
            )
        );
        // A rotated Secret takes effect at the next start.
        statements.Add(
            new ReplicationStatement(
                $"ALTER USER {account} IDENTIFIED BY {quoted}",
                $"ALTER USER {account} IDENTIFIED BY {ReplicationStatement.Mask}"
            )
        );
    }
}
