using MysqlAgent.Mysql;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Setup;
using MysqlAgent.Replication.Sql;
using MySqlConnector;

namespace MysqlAgent.Election;

/// <summary>Rendered statements run on the local server.</summary>
internal static class LocalServerStatement
{
    /// <summary>Opens a connection, renders the statement for the server's version and runs it.</summary>
    public static async Task RunAsync(
        this LocalServer server,
        Func<ServerVersionInfo, ReplicationStatement> render,
        CancellationToken cancellationToken
    )
    {
        var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var version = await SqlExecution
                .ServerVersionAsync(connection, cancellationToken)
                .ConfigureAwait(false);
            await SqlExecution
                .ExecuteAsync(connection, render(version).Sql, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="statements"/> in order on <paramref name="connection"/>. A
    /// <c>rpl_semi_sync_*</c> variable the server does not have (MySQL without the semi-sync
    /// plugins) is skipped; the server stays asynchronous.
    /// </summary>
    public static async Task RunAllAsync(
        MySqlConnection connection,
        IEnumerable<ReplicationStatement> statements,
        CancellationToken cancellationToken
    )
    {
        foreach (var statement in statements)
        {
            try
            {
                await SqlExecution
                    .ExecuteAsync(connection, statement.Sql, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (MySqlException e)
                when (e.Number == FailoverStatementRenderer.UnknownSystemVariable
                    && statement.Sql.Contains("rpl_semi_sync", StringComparison.Ordinal)
                ) { }
        }
    }
}
