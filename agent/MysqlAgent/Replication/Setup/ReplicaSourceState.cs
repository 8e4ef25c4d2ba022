using MysqlAgent.Replication.Dialects;
using MySqlConnector;

namespace MysqlAgent.Replication.Setup;

/// <summary>The part of the replica status that decides the setup: is a source configured, do the threads run.</summary>
public sealed record ReplicaSourceState(
    bool SourceConfigured,
    bool ThreadsRunning,
    string? SourceHost
)
{
    public static async Task<ReplicaSourceState> ReadAsync(
        MySqlConnection connection,
        ReplicationDialect dialect,
        CancellationToken cancellationToken
    )
    {
        await using var command = new MySqlCommand(dialect.ReplicaStatus, connection);
        await using var reader = await command
            .ExecuteReaderAsync(cancellationToken)
            .ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return new ReplicaSourceState(false, false, null);
        }

        var columns = dialect.Columns;
        var host = reader.GetString(reader.GetOrdinal(columns.SourceHost));
        var io = reader.GetString(reader.GetOrdinal(columns.IoRunning));
        var sql = reader.GetString(reader.GetOrdinal(columns.SqlRunning));
        // "Connecting" counts as running: the IO thread is started and retrying its source.
        var running = io is "Yes" or "Connecting" && sql == "Yes";
        return new ReplicaSourceState(
            !string.IsNullOrEmpty(host),
            running,
            string.IsNullOrEmpty(host) ? null : host
        );
    }
}
