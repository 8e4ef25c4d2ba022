using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Verification;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary><c>verify</c> on real mariabackup backups: restored, started with mariadbd, every table checked, recorded.</summary>
[Trait("Category", "Slow")]
public sealed class BackupVerifierTests(BackupServerFixture fixture)
    : IClassFixture<BackupServerFixture>
{
    [Fact(Timeout = 300_000)]
    public async Task A_good_backup_is_restored_started_checked_and_recorded_and_its_scratch_is_gone()
    {
        var root = Directory.CreateTempSubdirectory("verify-").FullName;
        var storage = new FolderBackupStorage(root);
        var backup = await BackupJobs
            .For(fixture.Options("file:/unused"), storage)
            .RunAsync(default);
        var scratch = Path.Combine(root, "scratch");

        var record = await Verifier(scratch, storage).RunAsync(null, default);

        Assert.Equal(backup.Id, record.BackupId);
        Assert.StartsWith("10.11", record.ServerVersion, StringComparison.Ordinal);
        // shop.orders, shop.blobs, shop.load and the mysql schema's tables.
        Assert.True(record.TablesChecked > 3, $"{record.TablesChecked} tables checked");
        var stored = JsonSerializer.Deserialize<BackupVerification>(
            await File.ReadAllTextAsync(Path.Combine(root, BackupKeys.Verification(backup.Id)))
        );
        Assert.Equal(backup.Id, stored?.BackupId);
        Assert.False(Directory.Exists(scratch));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_backup_whose_server_does_not_start_is_not_recorded_and_its_scratch_is_gone()
    {
        var root = Directory.CreateTempSubdirectory("verify-bad-").FullName;
        var storage = new FolderBackupStorage(root);
        var backup = await BackupJobs
            .For(fixture.Options("file:/unused"), storage)
            .RunAsync(default);
        var scratch = Path.Combine(root, "scratch");

        var e = await Assert.ThrowsAsync<RestoreFailedException>(() =>
            Verifier(scratch, storage, "--mysqld-path", "/bin/false").RunAsync(backup.Id, default)
        );

        Assert.DoesNotContain('\n', e.Message);
        Assert.False(File.Exists(Path.Combine(root, BackupKeys.Verification(backup.Id))));
        Assert.False(Directory.Exists(scratch));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_scratch_folder_that_holds_anything_is_refused_and_left_alone()
    {
        var storage = new FolderBackupStorage(
            Directory.CreateTempSubdirectory("verify-busy-").FullName
        );
        var scratch = Directory.CreateTempSubdirectory("verify-scratch-").FullName;
        await File.WriteAllTextAsync(Path.Combine(scratch, "ibdata1"), "precious");

        var e = await Assert.ThrowsAsync<RestoreFailedException>(() =>
            Verifier(scratch, storage).RunAsync(null, default)
        );

        Assert.Contains("is not empty", e.Message, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(Path.Combine(scratch, "ibdata1")));
    }

    private BackupVerifier Verifier(
        string scratch,
        IBackupStorage storage,
        params string[] extra
    ) =>
        new(
            fixture.Options("file:/unused", ["--data-dir", scratch, .. extra]),
            storage,
            TimeProvider.System,
            NullLogger.Instance
        );
}
