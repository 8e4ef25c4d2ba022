using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>What a test reads from a replica: its status, its rows, and waits for both.</summary>
internal static class ReplicaProbe
{
    public static async Task<Dictionary<string, string>> SlaveStatusAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var command = new MySqlCommand("SHOW SLAVE STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var status = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                status[reader.GetName(i)] = reader.IsDBNull(i)
                    ? ""
                    : Convert.ToString(
                        reader.GetValue(i),
                        System.Globalization.CultureInfo.InvariantCulture
                    )!;
            }
        }

        return status;
    }

    public static string Describe(Dictionary<string, string> status) =>
        status.Count == 0
            ? "no replication configured"
            : string.Join(
                ", ",
                new[]
                {
                    "Master_Host",
                    "Master_Port",
                    "Slave_IO_Running",
                    "Slave_SQL_Running",
                    "Using_Gtid",
                    "Last_IO_Errno",
                    "Last_IO_Error",
                    "Last_SQL_Errno",
                    "Last_SQL_Error",
                    "Master_Log_File",
                    "Exec_Master_Log_Pos",
                    "Gtid_IO_Pos",
                }.Select(k => $"{k}={status.GetValueOrDefault(k)}")
            );

    /// <summary>Waits until both threads say Yes; returns the status that said so.</summary>
    public static Task<Dictionary<string, string>> WaitForThreadsAsync(
        MariaDbServer replica,
        TimeSpan timeout
    ) =>
        Eventually.ValueAsync(
            () => SlaveStatusAsync(replica),
            status =>
                status.GetValueOrDefault("Slave_IO_Running") == "Yes"
                && status.GetValueOrDefault("Slave_SQL_Running") == "Yes",
            $"{replica}'s replication threads both run",
            timeout,
            async () => Describe(await SlaveStatusAsync(replica))
        );

    /// <summary>Waits until the replica's table has the primary's rows (same count and checksum).</summary>
    public static async Task WaitForSameRowsAsync(
        MariaDbServer primary,
        MariaDbServer replica,
        string table,
        TimeSpan timeout
    )
    {
        var expected = await ChecksumAsync(primary, table);
        var expectedCount = await primary.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
        await Eventually.ValueAsync(
            async () =>
                (
                    Count: await replica.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}"),
                    Checksum: await ChecksumAsync(replica, table)
                ),
            found => found.Count == expectedCount && found.Checksum == expected,
            $"{replica}'s {table} has the primary's {expectedCount} rows and checksum {expected}",
            timeout,
            async () => Describe(await SlaveStatusAsync(replica))
        );
    }

    public static async Task<long> ChecksumAsync(MariaDbServer server, string table)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var command = new MySqlCommand($"CHECKSUM TABLE {table}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetInt64(1);
    }

    public static Task InsertRowsAsync(MariaDbServer primary, string table, int from, int count) =>
        primary.ExecuteAsync(
            $"INSERT INTO {table} (id, payload) SELECT seq, CONCAT('row-', seq) FROM {table.Split('.')[0]}.seq_{from}_to_{from + count - 1}"
        );
}
