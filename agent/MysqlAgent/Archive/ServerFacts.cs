using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Mysql;
using MySqlConnector;

namespace MysqlAgent.Archive;

/// <summary>What a manifest records about the server at one moment: version, flavour, identity and position.</summary>
public sealed record ServerFacts(
    string Version,
    string Flavour,
    string? ServerUuid,
    string? Gtid,
    string? BinlogFile,
    long? BinlogPosition
)
{
    public static async Task<ServerFacts> ReadAsync(
        LocalServer server,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(server);
        var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var version =
                await ScalarAsync(connection, "SELECT VERSION()", cancellationToken)
                    .ConfigureAwait(false)
                ?? "";
            var mariaDb = BackupToolSelector.FromVersion(version) == BackupToolKind.MariaBackup;
            var uuid = mariaDb
                ? null
                : await ScalarAsync(connection, "SELECT @@server_uuid", cancellationToken)
                    .ConfigureAwait(false);
            var gtid = await ScalarAsync(
                    connection,
                    mariaDb ? "SELECT @@gtid_binlog_pos" : "SELECT @@gtid_executed",
                    cancellationToken
                )
                .ConfigureAwait(false);
            var (file, position) = await BinlogAsync(connection, cancellationToken)
                .ConfigureAwait(false);
            return new ServerFacts(
                version,
                mariaDb ? "mariadb" : "mysql",
                uuid,
                gtid,
                file,
                position
            );
        }
    }

    private static async Task<string?> ScalarAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var command = new MySqlCommand(sql, connection);
            await using (command.ConfigureAwait(false))
            {
                return (
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                )?.ToString();
            }
        }
        catch (MySqlException)
        {
            return null;
        }
    }

    /// <summary>MySQL 8.4 knows only SHOW BINARY LOG STATUS; MariaDB and older MySQL only SHOW MASTER STATUS.</summary>
    private static async Task<(string?, long?)> BinlogAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        foreach (var sql in new[] { "SHOW MASTER STATUS", "SHOW BINARY LOG STATUS" })
        {
            try
            {
                var command = new MySqlCommand(sql, connection);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command
                        .ExecuteReaderAsync(cancellationToken)
                        .ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            return (
                                reader.GetString(0),
                                Convert.ToInt64(
                                    reader.GetValue(1),
                                    System.Globalization.CultureInfo.InvariantCulture
                                )
                            );
                        }

                        return (null, null);
                    }
                }
            }
            catch (MySqlException) { }
        }

        return (null, null);
    }
}
