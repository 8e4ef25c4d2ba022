using MySqlConnector;

namespace MysqlAgent.Mysql;

/// <summary>
/// The one rule for "this server takes writes from clients", which readiness (<c>NodeInspector</c>)
/// and the election (<c>LocalServerState</c>) both apply, so that they cannot disagree: neither
/// <c>read_only</c> nor <c>super_read_only</c> is on. MariaDB has no <c>super_read_only</c>; a
/// variable the server lacks counts as off.
/// </summary>
public static class ServerWritability
{
    /// <summary>The two variables, read in one statement that a server lacking one of them still answers.</summary>
    public const string VariablesSql =
        "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('read_only', 'super_read_only')";

    /// <summary>A boolean server variable as <c>SHOW VARIABLES</c> prints it; null when absent.</summary>
    public static bool? Flag(string? value) =>
        value is null ? null : value is "ON" or "on" or "1" or "TRUE" or "true";

    public static bool IsWritable(bool? readOnly, bool? superReadOnly) =>
        readOnly != true && superReadOnly != true;

    /// <summary>Reads both variables over <paramref name="connection"/> and applies the rule.</summary>
    public static async Task<bool> ReadAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        string? readOnly = null;
        string? superReadOnly = null;
        await using var command = new MySqlCommand(VariablesSql, connection);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var value = reader.IsDBNull(1) ? null : reader.GetString(1);
                switch (reader.GetString(0).ToLowerInvariant())
                {
                    case "read_only":
                        readOnly = value;
                        break;
                    case "super_read_only":
                        superReadOnly = value;
                        break;
                }
            }
        }

        return IsWritable(Flag(readOnly), Flag(superReadOnly));
    }
}
