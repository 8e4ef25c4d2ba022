using System.Text.RegularExpressions;
using MysqlAgent.EndToEndTests.Harness;
using MysqlAgent.TestSupport;

namespace MysqlAgent.EndToEndTests.Backups;

/// <summary>The local set's backups: its default folder target, <c>backup</c>, <c>backups</c>, and the primary's binlog archive.</summary>
[Collection(OneSetAtATime.Name)]
public sealed class LocalBackupTests(ITestOutputHelper output)
{
    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task A_new_set_backs_up_a_replica_into_its_folder_and_archives_the_primarys_binlogs_up_to_its_last_write()
    {
        var (set, _) = await LocalSets.UpAsync(
            output,
            extraArguments: ["--agent-arg=--binlog-archive-interval=2"]
        );
        await using (set)
        {
            string written;
            await using (var primary = await set.ConnectPrimaryAsync())
            {
                await Sql.ExecuteAsync(
                    primary,
                    "CREATE DATABASE IF NOT EXISTS shop; CREATE TABLE shop.backed (id INT PRIMARY KEY); INSERT INTO shop.backed VALUES (1), (2), (3)"
                );
                written = await Sql.ScalarAsync<string>(primary, "SELECT @@gtid_binlog_pos");
            }

            var backup = await set.MustRunAsync("backup");
            // Taken from a replica, not from the primary its clients use.
            Assert.Matches(@"backing up mysql-[12] to file:", backup.StandardOutput);

            var listed = await set.MustRunAsync("backups");
            var id = Regex
                .Match(backup.StandardError + backup.StandardOutput, @"backup (\S+) stored")
                .Groups[1]
                .Value;
            Assert.NotEmpty(id);
            Assert.Contains(id, listed.StandardOutput, StringComparison.Ordinal);

            // Nobody rotates by hand: the primary's agent closes and uploads its binlog within the
            // interval (the heartbeat keeps writing, so the archive runs on past the rows).
            await Eventually.UntilAsync(
                () => ArchivedBinlogs.Reach(set, written),
                "the primary's agent archives a binlog reaching " + written,
                LocalSet.Patience,
                () =>
                    Task.FromResult(
                        string.Join(", ", ArchivedBinlogs.Ends(set))
                            + "\n"
                            + set.Log("mysql-0", "agent")
                    )
            );
        }
    }
}
