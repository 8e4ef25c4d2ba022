using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Sql;
using MySqlConnector;

namespace MysqlAgent.Replication.Setup;

/// <summary>Small helpers over a local admin connection.</summary>
internal static class SqlExecution
{
    public static async Task ExecuteAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<string?> ScalarAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull
            ? null
            : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<ServerVersionInfo> ServerVersionAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    ) =>
        ServerVersionInfo.Parse(
            await ScalarAsync(connection, "SELECT VERSION()", cancellationToken)
                .ConfigureAwait(false)
                ?? ""
        );

    /// <summary>How string literals must be quoted in this session (NO_BACKSLASH_ESCAPES or not).</summary>
    public static async Task<SqlQuoteMode> QuoteModeAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        var sqlMode =
            await ScalarAsync(connection, "SELECT @@SESSION.sql_mode", cancellationToken)
                .ConfigureAwait(false)
            ?? "";
        return sqlMode.Contains("NO_BACKSLASH_ESCAPES", StringComparison.OrdinalIgnoreCase)
            ? SqlQuoteMode.NoBackslashEscapes
            : SqlQuoteMode.BackslashEscapes;
    }
}
