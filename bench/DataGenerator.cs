using System.Diagnostics;
using MysqlAgent.TestSupport;

namespace MysqlBench;

/// <summary>
/// Fills a server with sysbench-like InnoDB rows (sysbench's <c>sbtest</c>: an id, a secondary key
/// <c>k</c>, <c>c CHAR(120)</c> and <c>pad CHAR(60)</c> made of groups of 11 random digits joined by
/// dashes) until the table's file reaches a size. Like a real table it compresses, but neither like
/// random bytes (not at all) nor like zeros (to nothing).
/// </summary>
internal static class DataGenerator
{
    private const int RowsPerBatch = 50_000;

    private static string DigitGroups(int groups) =>
        "CONCAT_WS('-', "
        + string.Join(
            ", ",
            Enumerable.Repeat("LPAD(FLOOR(RAND() * 100000000000), 11, '0')", groups)
        )
        + ")";

    /// <summary>Inserts batches of ~11 MB (without binary logging) until the table's .ibd file holds <paramref name="targetBytes"/>; returns its size.</summary>
    public static async Task<long> FillAsync(
        MariaDbServer server,
        long targetBytes,
        TextWriter log,
        CancellationToken ct
    )
    {
        var clock = Stopwatch.StartNew();
        await server
            .ExecuteAsync(
                "CREATE DATABASE bench; CREATE TABLE bench.t (id INT PRIMARY KEY AUTO_INCREMENT, k INT NOT NULL DEFAULT 0, c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', KEY k_1 (k)) ENGINE=InnoDB",
                ct
            )
            .ConfigureAwait(false);
        await using var connection = await server.OpenConnectionAsync(ct: ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 600;
        // The rows are the clone's payload, not replication history: keep them out of the binlog.
        command.CommandText = "SET SESSION sql_log_bin = 0";
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        command.CommandText =
            $"INSERT INTO bench.t (k, c, pad) SELECT FLOOR(RAND() * 1000000), {DigitGroups(10)}, {DigitGroups(5)} FROM bench.seq_1_to_{RowsPerBatch}";
        // The table's own file reaches the size asked for; the datadir around it (redo log, undo,
        // system tables) comes on top.
        var table = Path.Combine(server.DataDir, "bench", "t.ibd");
        while (new FileInfo(table).Length < targetBytes)
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        // Write everything down so the backups copy a settled datadir.
        command.CommandText = "SET GLOBAL innodb_max_dirty_pages_pct = 0";
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await log.WriteLineAsync(
                $"  generated {new FileInfo(table).Length / 1e6:F0} MB of InnoDB table data in {clock.Elapsed.TotalSeconds:F1} s"
            )
            .ConfigureAwait(false);
        return new FileInfo(table).Length;
    }
}
