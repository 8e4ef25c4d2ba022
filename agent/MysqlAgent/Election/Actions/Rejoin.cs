using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Mysql;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Setup;
using MysqlAgent.Replication.Sql;
using MySqlConnector;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>
/// Points the local mysqld at a new primary, after checking it holds nothing beyond the fork point
/// of the term it would join (an old primary's unreplicated commits, a write made by mistake): such
/// a server stays read-only and is reported errant instead, because replicating on top of those
/// transactions would hide them.
/// </summary>
public sealed class Rejoin(LocalServer server, AgentOptions options, ILogger logger)
{
    /// <summary>
    /// Rejoins <paramref name="holder"/> at <paramref name="source"/> (its stable name, before
    /// <c>--connect-to</c>); answers the errant GTIDs (and changes nothing) or an empty list.
    /// </summary>
    public async Task<IReadOnlyList<string>> RunAsync(
        string holder,
        long term,
        string forkPoint,
        Endpoint source,
        CancellationToken cancellationToken
    )
    {
        var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var local = await LocalServerState
                .ReadAsync(connection, cancellationToken)
                .ConfigureAwait(false);
            var server = local.Server!;
            var errant = await ErrantAsync(
                    connection,
                    server,
                    local.Executed ?? "",
                    forkPoint,
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (errant.Count > 0)
            {
                return errant;
            }

            var address = options.ConnectTo.Resolve(source);
            var mode = await SqlExecution
                .QuoteModeAsync(connection, cancellationToken)
                .ConfigureAwait(false);
            var statements = FailoverStatementRenderer.RenderRejoin(
                server,
                server.Flavor == ServerFlavor.MariaDb
                    ? MariaDbGtidPosition.Parse(local.Executed ?? "")
                    : null,
                new ReplicationSource(
                    address.Host,
                    address.Port,
                    options.ReplicationUser,
                    options.ReplicationPassword!.Value,
                    options.ConnectRetrySeconds,
                    retryCount: 86400
                ),
                new ReplicationLinkOptions(
                    UseTls: options.Tls is not null,
                    QuoteMode: mode,
                    SslCaFile: options.Tls?.CaFile
                ),
                semiSync: options.SemiSync
            );
            ElectionLog.Rejoining(logger, holder, term, source.ToString(), statements.Count);
            await LocalServerStatement
                .RunAllAsync(connection, statements, cancellationToken)
                .ConfigureAwait(false);

            // A later start of the agent finds replication set up (it is not a fresh clone's setup).
            await ReplicationSetupMarker
                .Done(options.DataDir)
                .WriteAsync(
                    $"replicating from {holder} ({source}) in term {term}, set up by the election\n",
                    cancellationToken
                )
                .ConfigureAwait(false);
            ElectionLog.Rejoined(logger, holder, term);
            return [];
        }
    }

    private static async Task<IReadOnlyList<string>> ErrantAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        string own,
        string forkPoint,
        CancellationToken cancellationToken
    )
    {
        if (server.Flavor == ServerFlavor.MariaDb)
        {
            return FailoverStatementRenderer
                .ErrantGtids(MariaDbGtidPosition.Parse(own), MariaDbGtidPosition.Parse(forkPoint))
                .Select(g => g.ToString())
                .ToArray();
        }

        var fork = MysqlGtidSet.Parse(forkPoint);
        if (!FailoverStatementRenderer.IsErrant(MysqlGtidSet.Parse(own), fork))
        {
            return [];
        }

        var text = await SqlExecution
            .ScalarAsync(
                connection,
                FailoverStatementRenderer.RenderErrantQuery(fork),
                cancellationToken
            )
            .ConfigureAwait(false);
        return [text ?? own];
    }
}
