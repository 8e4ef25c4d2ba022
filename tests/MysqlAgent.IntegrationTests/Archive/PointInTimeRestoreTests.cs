using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Commands;
using MysqlAgent.Replication.InfoFiles;
using MysqlAgent.Storage;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>Point-in-time restores of a real mariabackup backup plus binlogs archived by the real archiver, replayed with mariadbd and mariadb-binlog.</summary>
[Trait("Category", "Slow")]
public sealed class PointInTimeRestoreTests : IClassFixture<PointInTimeServerFixture>
{
    private readonly PointInTimeServerFixture _fixture;

    public PointInTimeRestoreTests(PointInTimeServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact(Timeout = 300_000)]
    public async Task A_restore_to_a_time_holds_every_commit_at_or_before_it_and_none_after()
    {
        var second = _fixture.Commits[1];

        var dataDir = await RestoreAsync(second.At, null);

        Assert.Equal(second.Gtid, BinlogInfoGtid(dataDir));
        await AssertServerAsync(dataDir, [1, 2], second.Gtid);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_restore_to_a_gtid_in_the_middle_of_a_file_stops_at_that_transaction()
    {
        var second = _fixture.Commits[1];

        var dataDir = await RestoreAsync(null, second.Gtid);

        Assert.Equal(second.Gtid, BinlogInfoGtid(dataDir));
        await AssertServerAsync(dataDir, [1, 2], second.Gtid);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_restore_to_the_latest_point_replays_everything_archived()
    {
        var last = _fixture.Commits[3];

        var dataDir = await RestoreAsync(null, null);

        await AssertServerAsync(dataDir, [1, 2, 3, 4], last.Gtid, userCreated: true);
    }

    [Fact(Timeout = 300_000)]
    public async Task Latest_with_no_binlog_archived_restores_the_newest_backup_as_it_is()
    {
        var root = Directory.CreateTempSubdirectory("pitr-nobinlogs-").FullName;
        CopyFolder(Path.Combine(_fixture.StorageRoot, "backups"), Path.Combine(root, "backups"));
        var dataDir = Path.Combine(root, "datadir");

        await new PointInTimeRestore(
            _fixture.Options(dataDir),
            new FolderBackupStorage(root),
            TimeProvider.System,
            NullLogger.Instance
        ).RunAsync(null, null, default);

        await AssertServerAsync(dataDir, [], gtid: null);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_restore_command_replays_to_a_time_given_on_its_command_line()
    {
        var third = _fixture.Commits[2];
        var dataDir = Path.Combine(
            Directory.CreateTempSubdirectory("pitr-cli-").FullName,
            "datadir"
        );
        using var stderr = new StringWriter();

        var code = await AgentCommandLine.RunAsync(
            [
                "restore",
                "--hostname",
                "mysql-0",
                "--from",
                "file:" + _fixture.StorageRoot,
                "--to-time",
                RestoreTarget.Format(third.At),
                "--data-dir",
                dataDir,
                "--log-level",
                "Warning",
            ],
            TextWriter.Null,
            stderr,
            _ => null,
            default
        );

        Assert.True(code == ExitCodes.Success, $"exit code {code}: {stderr}");
        await AssertServerAsync(dataDir, [1, 2, 3], third.Gtid);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_missing_binlog_in_the_middle_is_refused_naming_the_gap_and_leaves_the_datadir_empty()
    {
        var root = Directory.CreateTempSubdirectory("pitr-gap-").FullName;
        CopyFolder(_fixture.StorageRoot, root);
        var storage = new FolderBackupStorage(root);
        var archived = await BinlogArchiveCatalog.ListAsync(storage, NullLogger.Instance, default);
        var middle = archived.Single(m => m.Start.Text == _fixture.Commits[0].Gtid);
        File.Delete(Path.Combine(root, BinlogKeys.Manifest(middle.Id)));
        var dataDir = Path.Combine(root, "datadir");

        var e = await Assert.ThrowsAsync<RestoreFailedException>(() =>
            new PointInTimeRestore(
                _fixture.Options(dataDir),
                storage,
                TimeProvider.System,
                NullLogger.Instance
            ).RunAsync(_fixture.Commits[3].At, null, default)
        );

        Assert.StartsWith(
            $"the archive has no binlog from {_fixture.Commits[0].Gtid} to {_fixture.Commits[2].Gtid}",
            e.Message,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(
            !Directory.Exists(dataDir) || !Directory.EnumerateFileSystemEntries(dataDir).Any()
        );
    }

    [Fact(Timeout = 300_000)]
    public async Task An_archived_binlog_that_differs_from_its_manifest_is_refused_naming_it()
    {
        var root = Directory.CreateTempSubdirectory("pitr-corrupt-").FullName;
        CopyFolder(_fixture.StorageRoot, root);
        var storage = new FolderBackupStorage(root);
        var archived = await BinlogArchiveCatalog.ListAsync(storage, NullLogger.Instance, default);
        var middle = archived.Single(m => m.Start.Text == _fixture.Commits[0].Gtid);
        var path = Path.Combine(root, middle.DataKey);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^10] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes);
        var dataDir = Path.Combine(root, "datadir");

        var e = await Assert.ThrowsAsync<RestoreFailedException>(() =>
            new PointInTimeRestore(
                _fixture.Options(dataDir),
                storage,
                TimeProvider.System,
                NullLogger.Instance
            ).RunAsync(null, null, default)
        );

        Assert.StartsWith(
            $"archived binlog {middle.File} of mysql-0 ({middle.DataKey}) differs from its manifest",
            e.Message,
            StringComparison.Ordinal
        );
        Assert.Empty(Directory.EnumerateFileSystemEntries(dataDir));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_replay_that_fails_names_the_tool_and_leaves_the_datadir_empty()
    {
        var dataDir = Path.Combine(
            Directory.CreateTempSubdirectory("pitr-fails-").FullName,
            "datadir"
        );

        var e = await Assert.ThrowsAsync<RestoreFailedException>(() =>
            new PointInTimeRestore(
                _fixture.Options(dataDir) with
                {
                    // Reads nothing and exits 1: the decoders meet a closed pipe.
                    MysqlClientPath = "false",
                },
                _fixture.Storage,
                TimeProvider.System,
                NullLogger.Instance
            ).RunAsync(null, null, default)
        );

        Assert.StartsWith(
            "false exited with code 1 while applying the archived binlogs",
            e.Message,
            StringComparison.Ordinal
        );
        Assert.Empty(Directory.EnumerateFileSystemEntries(dataDir));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_time_after_the_last_archived_event_is_refused_naming_the_window()
    {
        var dataDir = Path.Combine(
            Directory.CreateTempSubdirectory("pitr-window-").FullName,
            "datadir"
        );
        var late = _fixture.Commits[3].At.AddHours(1);

        var e = await Assert.ThrowsAsync<RestoreFailedException>(() =>
            new PointInTimeRestore(
                _fixture.Options(dataDir),
                _fixture.Storage,
                TimeProvider.System,
                NullLogger.Instance
            ).RunAsync(late, null, default)
        );

        Assert.StartsWith(
            $"--to-time {RestoreTarget.Format(late)} is outside the recoverable window {RestoreTarget.Format(_fixture.Backup.FinishedAt)} .. ",
            e.Message,
            StringComparison.Ordinal
        );
        Assert.False(Directory.Exists(dataDir));
    }

    private async Task<string> RestoreAsync(DateTimeOffset? toTime, string? toGtid)
    {
        var dataDir = Path.Combine(Directory.CreateTempSubdirectory("pitr-").FullName, "datadir");
        await new PointInTimeRestore(
            _fixture.Options(dataDir),
            _fixture.Storage,
            TimeProvider.System,
            NullLogger.Instance
        ).RunAsync(toTime, toGtid, default);
        Assert.False(Directory.Exists(Path.Combine(dataDir, PointInTimeRestore.WorkFolderName)));
        return dataDir;
    }

    private async Task AssertServerAsync(
        string dataDir,
        int[] rows,
        string? gtid,
        bool userCreated = false
    )
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions
            {
                ServerId = 101,
                DataDir = dataDir,
                RootPassword = _fixture.Server.RootPassword,
                DeleteDataDirOnDispose = true,
            }
        );
        Assert.Equal(
            string.Join(",", rows),
            await server.ScalarAsync<string>(
                "SELECT IFNULL(GROUP_CONCAT(id ORDER BY id), '') FROM pitr.t"
            )
        );
        if (gtid is not null)
        {
            Assert.Equal(gtid, await server.ScalarAsync<string>("SELECT @@gtid_binlog_pos"));
        }

        Assert.Equal(
            userCreated ? 1L : 0L,
            await server.ScalarAsync<long>(
                "SELECT COUNT(*) FROM mysql.user WHERE user = 'app' AND host = '%'"
            )
        );
    }

    private static string? BinlogInfoGtid(string dataDir)
    {
        var path = InfoFileNames
            .BinlogInfo.Select(name => Path.Combine(dataDir, name))
            .Single(File.Exists);
        return BinlogInfoParser.Parse(path, File.ReadAllText(path)).GtidField;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
