using MySqlConnector;

namespace MysqlAgent.EndToEndTests.Harness;

public static class Sql
{
    public static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return (T)
            Convert.ChangeType(
                value!,
                typeof(T),
                System.Globalization.CultureInfo.InvariantCulture
            );
    }

    public static async Task<IReadOnlyDictionary<string, string>> SlaveStatusAsync(
        MySqlConnection connection
    )
    {
        await using var command = new MySqlCommand("SHOW SLAVE STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var row = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i)
                    ? ""
                    : Convert.ToString(
                        reader.GetValue(i),
                        System.Globalization.CultureInfo.InvariantCulture
                    ) ?? "";
            }
        }

        return row;
    }
}
