using System.Globalization;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>Checks that every pod holds the same rows as the primary, and every acknowledged row.</summary>
public static class Consistency
{
    /// <summary>Waits until every pod's row count and checksum of <paramref name="table"/> equal the primary's; returns that count.</summary>
    public static async Task<long> WaitForSameRowsAsync(LocalSet set, int pods, string table)
    {
        long count = 0;
        await set.WaitUntilAsync(
            $"all {pods} pods hold the same rows of {table} as mysql-0",
            async () =>
            {
                var fingerprints = new List<string>();
                for (var ordinal = 0; ordinal < pods; ordinal++)
                {
                    await using var connection = await set.ConnectAsync(ordinal);
                    fingerprints.Add(await Sql.ScalarAsync<string>(connection, Fingerprint(table)));
                }

                count = long.Parse(fingerprints[0].Split('/')[0], CultureInfo.InvariantCulture);
                return fingerprints.Distinct(StringComparer.Ordinal).Count() == 1;
            }
        );
        return count;
    }

    /// <summary>Every acknowledged id is on the pod, and every id there is one the writer sent.</summary>
    public static async Task AssertHoldsAsync(
        LocalSet set,
        int ordinal,
        IReadOnlyList<long> acknowledged,
        long attempted
    )
    {
        await using var connection = await set.ConnectAsync(ordinal);
        var present = new HashSet<long>();
        await using (
            var command = new MySqlConnector.MySqlCommand(
                $"SELECT id FROM {RowWriter.Table}",
                connection
            )
        )
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                present.Add(reader.GetInt64(0));
            }
        }

        var missing = acknowledged.Where(id => !present.Contains(id)).ToList();
        Assert.True(
            missing.Count == 0,
            $"mysql-{ordinal} lost acknowledged rows: {string.Join(", ", missing.Take(20))}"
        );
        Assert.All(present, id => Assert.InRange(id, 1, attempted));
    }

    private static string Fingerprint(string table) =>
        $"SELECT CONCAT(COUNT(*), '/', COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', id, payload))), 0)) FROM {table}";
}
