using System.Globalization;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Setup;
using MySqlConnector;

namespace MysqlAgent.Election;

/// <summary>
/// Turns the primary's side of semi-synchronous replication on once a replica that acknowledges is
/// connected (a promotion waits up to a retry period for one before the server becomes writable;
/// later steps turn it on when the first one connects), and never off again in the term: from
/// then on a commit is acknowledged to its client only after a replica has it, so a failover to
/// the most advanced replica loses no acknowledged write. Not before the first replica connects,
/// because a primary with semi-sync on and no replica would hold every commit for the whole 24 h
/// timeout, its first one (the users the replicas clone with) included.
/// </summary>
public static class SemiSyncSource
{
    /// <summary>Reads the state and turns semi-sync on when it is off and a replica would acknowledge.</summary>
    /// <returns>The state after the call, and whether this call turned it on.</returns>
    public static async Task<(SemiSyncSourceState State, bool TurnedOn)> EnsureAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(server);
        try
        {
            var enabled = await SqlExecution
                .ScalarAsync(
                    connection,
                    FailoverStatementRenderer.RenderSourceSemiSyncEnabledQuery(server),
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (enabled is "1")
            {
                return (SemiSyncSourceState.On, false);
            }

            if (
                await ReplicasAsync(connection, server, cancellationToken).ConfigureAwait(false) < 1
            )
            {
                return (SemiSyncSourceState.WaitingForReplica, false);
            }

            foreach (var statement in FailoverStatementRenderer.RenderSourceSemiSync(server, 1))
            {
                await SqlExecution
                    .ExecuteAsync(connection, statement.Sql, cancellationToken)
                    .ConfigureAwait(false);
            }

            return (SemiSyncSourceState.On, true);
        }
        catch (MySqlException e) when (e.Number == FailoverStatementRenderer.UnknownSystemVariable)
        {
            return (SemiSyncSourceState.Unavailable, false);
        }
    }

    /// <summary>
    /// Waits, at most <paramref name="wait"/>, until a replica that would acknowledge is connected;
    /// false at once when the server has no semi-sync.
    /// </summary>
    public static async Task<bool> WaitForReplicaAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        TimeSpan wait,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(server);
        try
        {
            await SqlExecution
                .ScalarAsync(
                    connection,
                    FailoverStatementRenderer.RenderSourceSemiSyncEnabledQuery(server),
                    cancellationToken
                )
                .ConfigureAwait(false);
            return await Poll.UntilTrueAsync(
                    async ct =>
                        await ReplicasAsync(connection, server, ct).ConfigureAwait(false) > 0,
                    wait,
                    time,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (MySqlException e) when (e.Number == FailoverStatementRenderer.UnknownSystemVariable)
        {
            return false;
        }
    }

    private static async Task<long> ReplicasAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        CancellationToken cancellationToken
    )
    {
        await using var command = new MySqlCommand(
            FailoverStatementRenderer.RenderSemiSyncReplicasQuery(server),
            connection
        );
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? long.Parse(reader.GetString(1), CultureInfo.InvariantCulture)
                : 0;
        }
    }
}
