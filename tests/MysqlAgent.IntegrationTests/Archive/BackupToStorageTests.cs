using System.IO.Hashing;
using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive;
using MysqlAgent.Backup;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>Full backups of a real mariadbd (mariabackup) under a write load into a folder and into moto_server.</summary>
[Trait("Category", "Slow")]
public sealed class BackupToStorageTests : IClassFixture<BackupServerFixture>
{
    private readonly BackupServerFixture _fixture;

    public BackupToStorageTests(BackupServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact(Timeout = 300_000)]
    public async Task The_backup_command_stores_data_and_a_manifest_whose_checksum_matches_in_a_folder()
    {
        var root = Directory.CreateTempSubdirectory("backup-target-").FullName;
        var target = "file:" + root;
        var rowsBefore = _fixture.LoadRows;
        using var stderr = new StringWriter();
        var code = await AgentCommandLine.RunAsync(
            ["backup", .. _fixture.Arguments(target)],
            TextWriter.Null,
            stderr,
            _fixture.Secrets.Environment,
            default
        );
        Assert.True(code == ExitCodes.Success, $"exit code {code}: {stderr}");
        Assert.True(_fixture.LoadRows > rowsBefore, "the write load kept committing");

        var storage = new FolderBackupStorage(root);
        var manifest = Assert.Single(
            await BackupCatalog.ListAsync(storage, NullLogger.Instance, default)
        );
        await AssertDataMatchesAsync(storage, manifest);
        Assert.Equal("mariadb", manifest.Flavour);
        Assert.Equal("mysql-0", manifest.Pod);
        Assert.Equal("zstd", manifest.Compression);
        Assert.False(string.IsNullOrEmpty(manifest.GtidAfter));
        Assert.NotNull(manifest.BinlogFileAfter);
        Assert.True(manifest.FinishedAt >= manifest.StartedAt);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_backup_to_S3_stores_data_and_a_manifest_whose_checksum_matches()
    {
        var settings = await _fixture.Moto.NewBucketAsync("set-a");
        var options = _fixture.Options(
            $"s3://{settings.Bucket}/set-a",
            "--s3-endpoint",
            _fixture.Moto.Server.Endpoint,
            "--s3-path-style",
            "--s3-access-key-id-file",
            settings.AccessKeyIdFile!,
            "--s3-secret-access-key-file",
            settings.SecretAccessKeyFile!
        );
        var storage = StorageTarget.Open(options);
        var stored = await BackupJobs.For(options, storage).RunAsync(default);

        var manifest = Assert.Single(
            await BackupCatalog.ListAsync(storage, NullLogger.Instance, default)
        );
        Assert.Equal(stored, manifest);
        await AssertDataMatchesAsync(storage, manifest);

        var listed = new List<string>();
        await foreach (var o in storage.ListAsync("", default))
        {
            listed.Add(o.Key);
        }

        Assert.Equal([BackupKeys.Data(manifest.Id), BackupKeys.Manifest(manifest.Id)], listed);
    }

    [Theory(Timeout = 300_000)]
    [InlineData("folder")]
    [InlineData("s3")]
    public async Task A_backup_whose_upload_is_cut_midway_leaves_no_manifest_and_is_not_listed(
        string kind
    )
    {
        IBackupStorage real;
        if (kind == "folder")
        {
            real = new FolderBackupStorage(
                Directory.CreateTempSubdirectory("backup-cut-").FullName
            );
        }
        else
        {
            var settings = await _fixture.Moto.NewBucketAsync("cut");
            real = new S3BackupStorage(S3ClientFactory.Create(settings), settings);
        }

        var options = _fixture.Options("file:/unused");
        var e = await Assert.ThrowsAsync<BackupFailedException>(() =>
            BackupJobs.For(options, new CuttingStorage(real, cutAfter: 6 << 20)).RunAsync(default)
        );
        Assert.Contains("broke after", e.Message, StringComparison.Ordinal);
        Assert.Empty(await BackupCatalog.ListAsync(real, NullLogger.Instance, default));
        await foreach (var o in real.ListAsync("", default))
        {
            Assert.Fail($"the cut backup left {o.Key}");
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task The_backups_command_lists_only_backups_with_a_manifest()
    {
        var root = Directory.CreateTempSubdirectory("backup-list-").FullName;
        var storage = new FolderBackupStorage(root);
        var options = _fixture.Options("file:" + root);
        var first = await BackupJobs.For(options, storage).RunAsync(default);
        // A data object without its manifest, as a backup killed before its end would leave.
        await storage.PutAsync(
            "backups/20990101T000000Z-mysql-1-abcdef/data.stream",
            new MemoryStream([1, 2, 3]),
            3,
            default
        );

        var listed = await BackupCatalog.ListAsync(storage, NullLogger.Instance, default);
        Assert.Equal([first.Id], listed.Select(m => m.Id));
        var line = BackupsCommand.Format(listed, new HashSet<string>(StringComparer.Ordinal));
        Assert.StartsWith(first.Id, line, StringComparison.Ordinal);
        Assert.EndsWith("never verified", line, StringComparison.Ordinal);
    }

    /// <summary>The stored data's size and XXH128 are the manifest's, and the stream inside verifies end to end.</summary>
    private static async Task AssertDataMatchesAsync(
        IBackupStorage storage,
        BackupManifest manifest
    )
    {
        using var copy = new MemoryStream();
        var data = await storage.GetAsync(manifest.DataKey, default);
        await using (data)
        {
            await data.CopyToAsync(copy);
        }

        Assert.Equal(manifest.DataBytes, copy.Length);
        Assert.Equal(manifest.DataXxh128, Convert.ToHexStringLower(XxHash128.Hash(copy.ToArray())));
        copy.Position = 0;
        var trailer = await BackupStreamReader.CopyPayloadAsync(copy, Stream.Null, default);
        Assert.Equal(manifest.PayloadBytes, trailer.Bytes);
    }
}
