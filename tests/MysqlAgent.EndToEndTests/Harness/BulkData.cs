using System.Globalization;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>Rows of 1 KiB on the primary, so that a backup lasts long enough to be cut in the middle.</summary>
public static class BulkData
{
    public const string Table = "e2e.bulk";

    public static async Task AddAsync(LocalSet set, int mebibytes)
    {
        await using var connection = await set.ConnectAsync(0);
        await Sql.ExecuteAsync(connection, "CREATE DATABASE IF NOT EXISTS e2e");
        await Sql.ExecuteAsync(
            connection,
            $"CREATE TABLE IF NOT EXISTS {Table} (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(1100) NOT NULL)"
        );
        for (var i = 0; i < mebibytes; i++)
        {
            await Sql.ExecuteAsync(
                connection,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"INSERT INTO {Table} (payload) SELECT REPEAT(SHA2(RAND(), 256), 16) FROM e2e.seq_1_to_1024"
                )
            );
        }
    }
}
