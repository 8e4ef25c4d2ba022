using MysqlAgent.Mysql;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Setup;
using MysqlAgent.Replication.Sql;

namespace MysqlAgent.Election;

/// <summary>One statement rendered for the local server's flavour and version, on a connection of its own.</summary>
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
}
