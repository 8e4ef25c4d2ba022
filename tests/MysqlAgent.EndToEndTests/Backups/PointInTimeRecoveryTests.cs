using System.Globalization;
using MysqlAgent.EndToEndTests.Harness;
using MysqlAgent.TestSupport;

namespace MysqlAgent.EndToEndTests.Backups;

/// <summary>
/// The issue's own scenario: a backup, writes, a switchover and more writes, then a DROP TABLE; a
/// new set restored to the second before the DROP has every acknowledged row and the table, and
/// one restored to the newest point has the DROP, across the binlogs of two primaries.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class PointInTimeRecoveryTests(ITestOutputHelper output)
{
    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task A_new_set_restored_to_the_second_before_a_drop_has_every_acknowledged_row_and_the_newest_point_has_the_drop()
    {
        var (source, _) = await LocalSets.UpAsync(
            output,
            extraArguments: ["--agent-arg=--binlog-archive-interval=2"]
        );
        await using (source)
        {
            var first = await source.LeaseAsync();
            await WriteAsync(
                source,
                "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, payload VARCHAR(32))"
            );
            await InsertAsync(source, 1, 20);
            await source.MustRunAsync("backup");
            await InsertAsync(source, 21, 40);

            // A failover between the backup and the drop: the next primary's binlogs start again at mysql-bin.000001.
            await source.MustRunAsync("switchover", "--to", "mysql-1");
            await source.WaitForLeaseAsync(
                "mysql-1 holds the Lease in a later term",
                l => l.Holder == "mysql-1" && l.Term > first.Term
            );
            await InsertAsync(source, 41, 60);

            // The DROP lands in a later second than every acknowledged row: T is the second before it.
            var lastRow = await ScalarAsync<long>(source, "SELECT UNIX_TIMESTAMP()");
            await Eventually.UntilAsync(
                async () => await ScalarAsync<long>(source, "SELECT UNIX_TIMESTAMP()") > lastRow,
                "the primary's clock passes the second of the last row"
            );
            var dropped = await ScalarAsync<long>(
                source,
                "DROP TABLE shop.orders; SELECT UNIX_TIMESTAMP()"
            );
            await WriteAsync(
                source,
                "CREATE TABLE shop.after_drop (id INT PRIMARY KEY, payload VARCHAR(32)); INSERT INTO shop.after_drop VALUES (1, 'after')"
            );
            var written = await ScalarAsync<string>(source, "SELECT @@gtid_binlog_pos");
            await Eventually.UntilAsync(
                () => ArchivedBinlogs.Reach(source, written),
                "the archive reaches " + written,
                LocalSet.Patience
            );
            var beforeDrop = DateTimeOffset
                .FromUnixTimeSeconds(dropped - 1)
                .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            output.WriteLine(
                $"last row at {lastRow}, DROP at {dropped}: restoring to {beforeDrop}"
            );

            var (toTime, up) = await RestoredAsync(source, ["--to-time", beforeDrop]);
            await using (toTime)
            {
                Assert.Contains(
                    "bootstraps the set from",
                    toTime.Log("mysql-0", "clone"),
                    StringComparison.Ordinal
                );
                Assert.Equal(60, await Consistency.WaitForSameRowsAsync(toTime, 3, "shop.orders"));
                Assert.Equal(
                    "1-60",
                    await ScalarAsync<string>(
                        toTime,
                        "SELECT CONCAT(MIN(id), '-', MAX(id)) FROM shop.orders"
                    )
                );
                Assert.Equal(
                    0,
                    await ScalarAsync<long>(
                        toTime,
                        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'after_drop'"
                    )
                );
                Assert.Contains(
                    "wrote through mysql-primary",
                    up.StandardOutput,
                    StringComparison.Ordinal
                );
            }

            // 'restore' makes the new set itself: the source's secrets, programs and a free port block.
            await using var latest = LocalSets.Unstarted(output, LocalSet.FreeBase());
            await source.MustRunAsync(
                "restore",
                "--into",
                latest.StateDir,
                "--base-port",
                latest.BasePort.ToString(CultureInfo.InvariantCulture)
            );
            Assert.Equal(
                0,
                await ScalarAsync<long>(
                    latest,
                    "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'orders'"
                )
            );
            Assert.Equal(1, await Consistency.WaitForSameRowsAsync(latest, 3, "shop.after_drop"));
        }
    }

    /// <summary>A new set, with the source's secrets (the restored data has its users), restored from the source's backups folder.</summary>
    private async Task<(LocalSet Set, CommandOutput Up)> RestoredAsync(
        LocalSet source,
        IReadOnlyList<string> target
    )
    {
        var stateDir = LocalSets.NewStateDir();
        var secrets = Path.Combine(stateDir, "secrets");
        Directory.CreateDirectory(secrets);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(source.StateDir, "secrets")))
        {
            File.Copy(file, Path.Combine(secrets, Path.GetFileName(file)));
        }

        return await LocalSets.UpInAsync(
            output,
            stateDir,
            [
                "--restore-from",
                "file:" + Path.Combine(source.StateDir, "backups"),
                "--backup-target",
                "off",
                .. target,
            ]
        );
    }

    private static async Task WriteAsync(LocalSet set, string sql)
    {
        await using var connection = await set.ConnectPrimaryAsync();
        await Sql.ExecuteAsync(connection, sql);
    }

    private static async Task InsertAsync(LocalSet set, int from, int to)
    {
        await using var connection = await set.ConnectPrimaryAsync();
        for (var id = from; id <= to; id++)
        {
            await Sql.ExecuteAsync(
                connection,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"INSERT INTO shop.orders VALUES ({id}, 'row {id}')"
                )
            );
        }
    }

    private static async Task<T> ScalarAsync<T>(LocalSet set, string sql)
    {
        await using var connection = await set.ConnectPrimaryAsync();
        return await Sql.ScalarAsync<T>(connection, sql);
    }
}
