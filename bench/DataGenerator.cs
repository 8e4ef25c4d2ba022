using System.Diagnostics;
using MysqlAgent.TestSupport;

namespace MysqlBench;

/// <summary>Fills a server with InnoDB rows of random bytes until the table's file reaches a size.</summary>
internal static class DataGenerator
{
    private const int RowsPerBatch = 50_000;
    private const int PayloadBytes = 900;

    /// <summary>Inserts batches of ~46 MB (without binary logging) until the table's .ibd file holds <paramref name="targetBytes"/>; returns its size.</summary>
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
                "CREATE DATABASE bench; CREATE TABLE bench.t (id BIGINT PRIMARY KEY AUTO_INCREMENT, k INT NOT NULL, payload VARBINARY(1024) NOT NULL, KEY (k)) ENGINE=InnoDB",
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
            $"INSERT INTO bench.t (k, payload) SELECT FLOOR(RAND() * 1000000), RANDOM_BYTES({PayloadBytes}) FROM bench.seq_1_to_{RowsPerBatch}";
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
