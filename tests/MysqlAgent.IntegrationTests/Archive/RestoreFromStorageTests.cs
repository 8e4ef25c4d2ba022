using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>Restores of real mariabackup backups from a folder and from moto_server, booted with mariadbd.</summary>
[Trait("Category", "Slow")]
public sealed class RestoreFromStorageTests : IClassFixture<BackupServerFixture>
{
    private readonly BackupServerFixture _fixture;

    public RestoreFromStorageTests(BackupServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory(Timeout = 300_000)]
    [InlineData("folder")]
    [InlineData("s3")]
    public async Task A_restored_datadir_boots_and_holds_the_rows_committed_before_the_backup(
        string kind
    )
    {
        var storage = await StorageAsync(kind);
        var options = _fixture.Options("file:/unused");
        var orders = await _fixture.Server.ScalarAsync<string>(
            "SELECT CONCAT(COUNT(*), ':', SUM(CRC32(note))) FROM shop.orders"
        );
        var committed = await _fixture.Server.ScalarAsync<long>("SELECT MAX(id) FROM shop.load");
        var backup = await BackupJobs.For(options, storage).RunAsync(default);

        var dataDir = Path.Combine(
            Directory.CreateTempSubdirectory("restore-").FullName,
            "datadir"
        );
        var restored = await new RestoreFromStorage(
            options with
            {
                DataDir = dataDir,
            },
            storage,
            TimeProvider.System,
            NullLogger.Instance
        ).RunAsync(null, default);
        Assert.Equal(backup.Id, restored.Id);

        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions
            {
                ServerId = 101,
                DataDir = dataDir,
                RootPassword = _fixture.Server.RootPassword,
            }
        );
        Assert.Equal(
            orders,
            await server.ScalarAsync<string>(
                "SELECT CONCAT(COUNT(*), ':', SUM(CRC32(note))) FROM shop.orders"
            )
        );
        var rows = await server.ScalarAsync<long>(
            $"SELECT COUNT(*) FROM shop.load WHERE id <= {committed}"
        );
        Assert.Equal(committed, rows);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_restore_into_a_non_empty_datadir_is_refused_and_touches_nothing()
    {
        var storage = new FolderBackupStorage(
            Directory.CreateTempSubdirectory("restore-refused-").FullName
        );
        var dataDir = Directory.CreateTempSubdirectory("restore-busy-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dataDir, "ibdata1"), "precious");
        var options = _fixture.Options("file:/unused") with { DataDir = dataDir };

        var e = await Assert.ThrowsAsync<RestoreFailedException>(() =>
            new RestoreFromStorage(
                options,
                storage,
                TimeProvider.System,
                NullLogger.Instance
            ).RunAsync(null, default)
        );
        Assert.Contains("is not empty", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(
            ["ibdata1"],
            Directory.EnumerateFileSystemEntries(dataDir).Select(Path.GetFileName)
        );
    }

    [Fact(Timeout = 300_000)]
    public async Task A_backup_whose_data_differs_from_its_manifest_is_not_restored()
    {
        var root = Directory.CreateTempSubdirectory("restore-corrupt-").FullName;
        var storage = new FolderBackupStorage(root);
        var options = _fixture.Options("file:/unused");
        var backup = await BackupJobs.For(options, storage).RunAsync(default);
        var path = Path.Combine(root, backup.DataKey);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes);

        var dataDir = Path.Combine(root, "datadir");
        await Assert.ThrowsAsync<RestoreFailedException>(() =>
            new RestoreFromStorage(
                options with
                {
                    DataDir = dataDir,
                },
                storage,
                TimeProvider.System,
                NullLogger.Instance
            ).RunAsync(backup.Id, default)
        );
        Assert.Empty(Directory.EnumerateFileSystemEntries(dataDir));
    }

    private async Task<IBackupStorage> StorageAsync(string kind)
    {
        if (kind == "folder")
        {
            return new FolderBackupStorage(
                Directory.CreateTempSubdirectory("restore-src-").FullName
            );
        }

        var settings = await _fixture.Moto.NewBucketAsync("restore");
        return new S3BackupStorage(S3ClientFactory.Create(settings), settings);
    }
}
