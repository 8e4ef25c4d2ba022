using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Configuration;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>The binlog archiver against a real mariadbd and a folder target: what goes up, when, and what a new term reads back.</summary>
[Trait("Category", "Slow")]
public sealed class BinlogArchiverTests
{
    [Fact(Timeout = 300_000)]
    public async Task Every_closed_binlog_is_archived_once_byte_for_byte_with_a_manifest_that_chains_its_gtids()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 31 }
        );
        var storage = NewStorage(out var root);
        var metrics = new AgentMetrics(Prometheus.Metrics.NewCustomRegistry());
        var archiver = Archiver(server, storage, TimeProvider.System, metrics);
        await WriteAsync(server, 3);
        await server.ExecuteAsync("FLUSH BINARY LOGS");
        await WriteAsync(server, 2);

        var first = await archiver.ArchiveAsync(term: 1, forceRotation: true, default);

        Assert.True(first.Rotated);
        Assert.NotEmpty(first.Uploaded);
        var written = await server.ScalarAsync<string>("SELECT @@gtid_binlog_pos");
        Assert.Equal(written, first.Covered.Text);
        for (var i = 1; i < first.Uploaded.Count; i++)
        {
            Assert.Equal(first.Uploaded[i - 1].EndGtid, first.Uploaded[i].StartGtid);
        }

        foreach (var manifest in first.Uploaded)
        {
            Assert.Equal(
                await File.ReadAllBytesAsync(Path.Combine(server.DataDir, manifest.File)),
                await File.ReadAllBytesAsync(Path.Combine(root, manifest.DataKey))
            );
            Assert.Equal("mariadb", manifest.Flavour);
            Assert.Equal(1, manifest.Term);
            Assert.True(manifest.FirstEventAt <= manifest.LastEventAt);
        }

        Assert.Equal(first.Uploaded.Count, metrics.BinlogArchiveFiles.Value);
        Assert.Equal(
            first.Uploaded[^1].LastEventAt.ToUnixTimeSeconds(),
            metrics.BinlogArchiveRecoverable.Value
        );

        // Nothing new: nothing goes up again, and a quiet server is not rotated into empty files.
        var again = await archiver.ArchiveAsync(term: 1, forceRotation: true, default);
        Assert.Empty(again.Uploaded);
        Assert.False(again.Rotated);
        Assert.Equal(
            first.Uploaded.Count,
            (await BinlogArchiveCatalog.ListAsync(storage, NullLogger.Instance, default)).Count
        );
    }

    [Fact(Timeout = 300_000)]
    public async Task A_new_term_reads_what_the_archive_holds_and_uploads_only_what_it_lacks()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 32 }
        );
        var storage = NewStorage(out _);
        await WriteAsync(server, 2);
        var before = await Archiver(server, storage, TimeProvider.System)
            .ArchiveAsync(1, forceRotation: true, default);
        Assert.NotEmpty(before.Uploaded);

        // A fresh agent (the next term's primary remembers nothing) writing more.
        await WriteAsync(server, 2);
        var next = await Archiver(server, storage, TimeProvider.System)
            .ArchiveAsync(2, forceRotation: true, default);

        var uploaded = Assert.Single(next.Uploaded);
        Assert.Equal(before.Covered.Text, uploaded.StartGtid);
        Assert.Equal(2, uploaded.Term);
        var all = await BinlogArchiveCatalog.ListAsync(storage, NullLogger.Instance, default);
        Assert.Equal(before.Uploaded.Count + 1, all.Count);
        Assert.Equal(
            await server.ScalarAsync<string>("SELECT @@gtid_binlog_pos"),
            BinlogArchiveCatalog.Covered(all, "mariadb").Text
        );
    }

    [Fact(Timeout = 300_000)]
    public async Task A_quiet_server_is_rotated_once_the_interval_has_passed_so_its_last_writes_are_archived()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 33 }
        );
        var storage = NewStorage(out _);
        await WriteAsync(server, 1);

        var early = await Archiver(server, storage, TimeProvider.System, interval: "60")
            .ArchiveAsync(1, false, default);
        Assert.False(early.Rotated);
        Assert.False(early.Covered.Contains(await WrittenAsync(server)));

        var later = await Archiver(
                server,
                storage,
                new ShiftedTime(TimeSpan.FromMinutes(2)),
                interval: "60"
            )
            .ArchiveAsync(1, false, default);
        Assert.True(later.Rotated);
        Assert.True(later.Covered.Contains(await WrittenAsync(server)));
    }

    [Fact(Timeout = 300_000)]
    public async Task Binlogs_purged_before_they_were_archived_are_a_gap_that_is_counted_and_archiving_goes_on()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 34 }
        );
        var storage = NewStorage(out _);
        var metrics = new AgentMetrics(Prometheus.Metrics.NewCustomRegistry());
        var archiver = Archiver(server, storage, TimeProvider.System, metrics);
        await WriteAsync(server, 1);
        var archived = await archiver.ArchiveAsync(1, forceRotation: true, default);

        await WriteAsync(server, 2);
        await server.ExecuteAsync("FLUSH BINARY LOGS");
        var active = await ActiveFileAsync(server);
        // MariaDB keeps a file until its binlog checkpoint is done, silently: purge until it is gone.
        await Eventually.UntilAsync(
            async () =>
            {
                await server.ExecuteAsync($"PURGE BINARY LOGS TO '{active}'");
                return await OldestFileAsync(server) == active;
            },
            "the binlogs before " + active + " are purged"
        );
        await WriteAsync(server, 1);

        var after = await archiver.ArchiveAsync(1, forceRotation: true, default);

        var uploaded = Assert.Single(after.Uploaded);
        Assert.False(archived.Covered.Contains(uploaded.Start));
        Assert.Equal(1, metrics.BinlogArchiveGaps.Value);
        Assert.Equal(
            await server.ScalarAsync<string>("SELECT @@gtid_binlog_pos"),
            after.Covered.Text
        );
    }

    [Fact(Timeout = 300_000)]
    public async Task A_server_without_binary_logging_fails_the_pass_with_a_message_naming_log_bin()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 35, LogBin = false }
        );
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Archiver(server, NewStorage(out _), TimeProvider.System).ArchiveAsync(1, true, default)
        );
        Assert.Contains("binary logging is off", e.Message, StringComparison.Ordinal);
        Assert.Contains("log-bin", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_primary_agent_with_a_target_archives_its_writes_within_the_interval_and_publishes_the_recoverable_time()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 36 }
        );
        var storage = NewStorage(out var root);
        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.WatchOnly(
                server,
                0,
                extra:
                [
                    "--data-dir",
                    server.DataDir,
                    "--target",
                    "file:" + root,
                    "--binlog-archive-interval",
                    "1",
                ]
            )
        );
        await WriteAsync(server, 3);
        var written = await WrittenAsync(server);

        // No rotation by hand: the agent's timer closes the file, its next pass uploads it.
        await Eventually.UntilAsync(
            async () =>
                BinlogArchiveCatalog
                    .Covered(
                        await BinlogArchiveCatalog.ListAsync(storage, NullLogger.Instance, default),
                        "mariadb"
                    )
                    .Contains(written),
            "the archive holds " + written
        );
        // The pass publishes the recoverable time once its uploads are done.
        var since = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        await Eventually.UntilAsync(
            async () =>
            {
                var metrics = PrometheusText.Parse((await agent.GetTextAsync("/metrics")).Body);
                return metrics.Value("mysql_agent_binlog_archive_files_total") >= 1
                    && metrics.Value("mysql_agent_binlog_archive_recoverable_timestamp_seconds")
                        >= since;
            },
            "the agent counts the archived files and publishes a recoverable time"
        );
    }

    private static FolderBackupStorage NewStorage(out string root)
    {
        root = Directory.CreateTempSubdirectory("binlog-archive-").FullName;
        return new FolderBackupStorage(root);
    }

    private static BinlogArchiver Archiver(
        MariaDbServer server,
        IBackupStorage storage,
        TimeProvider time,
        AgentMetrics? metrics = null,
        string interval = "60"
    )
    {
        var options = InProcessAgent.ReadCommandLine(
            [
                "--hostname",
                "mysql-0",
                "--data-dir",
                server.DataDir,
                "--mysql-port",
                server.Port.ToString(CultureInfo.InvariantCulture),
                "--target",
                "file:/unused",
                "--binlog-archive-interval",
                interval,
            ],
            new AgentSecrets(AdminPassword: server.RootPassword)
        );
        return new BinlogArchiver(
            options,
            storage,
            new LocalServer(options),
            time,
            NullLogger.Instance,
            metrics
        );
    }

    private static async Task WriteAsync(MariaDbServer server, int transactions)
    {
        await server.ExecuteAsync(
            "CREATE DATABASE IF NOT EXISTS shop; CREATE TABLE IF NOT EXISTS shop.t (id INT PRIMARY KEY AUTO_INCREMENT, note VARCHAR(32)) ENGINE=InnoDB"
        );
        for (var i = 0; i < transactions; i++)
        {
            await server.ExecuteAsync("INSERT INTO shop.t (note) VALUES ('x')");
        }
    }

    private static async Task<BinlogCoverage> WrittenAsync(MariaDbServer server) =>
        BinlogCoverage.Parse(
            "mariadb",
            (await server.ScalarAsync<string>("SELECT @@gtid_binlog_pos"))!
        );

    private static async Task<string> ActiveFileAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var command = new MySqlConnector.MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetString(0);
    }

    private static async Task<string> OldestFileAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var command = new MySqlConnector.MySqlCommand("SHOW BINARY LOGS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetString(0);
    }

    /// <summary>The clock some time ahead: the active binlog looks open for that long.</summary>
    private sealed class ShiftedTime(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
