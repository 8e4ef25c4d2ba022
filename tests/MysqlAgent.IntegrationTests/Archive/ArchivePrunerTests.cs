using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Archive.Retention;
using MysqlAgent.IntegrationTests.Storage;
using MysqlAgent.Storage;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>Prune against both targets: a folder and moto_server, with listings across pages.</summary>
[Trait("Category", "Slow")]
public sealed class ArchivePrunerTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 20, 12, 0, 0, TimeSpan.Zero);

    [Theory(Timeout = 120_000)]
    [InlineData("folder")]
    [InlineData("s3")]
    public async Task Prune_deletes_old_backups_and_the_binlogs_no_kept_backup_needs_and_leaves_the_rest_whole(
        string kind
    )
    {
        var storage = await StorageAsync(kind);
        for (var day = 1; day <= 4; day++)
        {
            await PutBackupAsync(storage, $"b{day}", Now.AddDays(day - 5), $"0-1-{day * 10}");
        }

        // Binlogs ending at 10, 20, ..., 50: the oldest kept backup (b3, at 0-1-30) needs those after 30.
        for (var end = 10; end <= 50; end += 10)
        {
            await PutBinlogAsync(storage, $"l{end}", $"0-1-{end - 10}", $"0-1-{end}");
        }

        var pruner = new ArchivePruner(storage, NullLogger.Instance);
        var plan = await pruner.PlanAsync(Now, keepBackups: 2, TimeSpan.Zero, default);
        await pruner.ApplyAsync(plan, 2, TimeSpan.Zero, default);

        Assert.Equal(
            ["b3", "b4"],
            (await BackupCatalog.ListAsync(storage, NullLogger.Instance, default)).Select(b => b.Id)
        );
        Assert.Equal(
            ["l40", "l50"],
            (await BinlogArchiveCatalog.ListAsync(storage, NullLogger.Instance, default))
                .Select(b => b.Id)
                .Order(StringComparer.Ordinal)
        );
        // Nothing of a deleted backup or binlog is left behind, and the kept ones are whole.
        var keys = await KeysAsync(storage);
        Assert.DoesNotContain(
            keys,
            k =>
                k.Contains("/b1/", StringComparison.Ordinal)
                || k.Contains("/l10/", StringComparison.Ordinal)
        );
        Assert.Contains("backups/b3/data.stream", keys);
        Assert.Contains("binlogs/l40/mysql-bin.000001", keys);

        // Once pruned, a second prune has nothing to do.
        var again = await pruner.PlanAsync(Now, 2, TimeSpan.Zero, default);
        Assert.Empty(again.DeletedBackups);
        Assert.Empty(again.DeletedBinlogs);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_prune_cut_after_the_manifest_leaves_no_listed_backup_without_its_data()
    {
        var inner = await StorageAsync("folder");
        await PutBackupAsync(inner, "b1", Now.AddDays(-3), "0-1-10");
        await PutBackupAsync(inner, "b2", Now.AddDays(-1), "0-1-20");
        var storage = new DeleteOnceStorage(inner);

        var pruner = new ArchivePruner(storage, NullLogger.Instance);
        var plan = await pruner.PlanAsync(Now, 1, TimeSpan.Zero, default);
        await Assert.ThrowsAsync<IOException>(() =>
            pruner.ApplyAsync(plan, 1, TimeSpan.Zero, default)
        );

        // The manifest went first: b1 no longer exists as a backup, though its data is still there.
        Assert.Equal(
            ["b2"],
            (await BackupCatalog.ListAsync(inner, NullLogger.Instance, default)).Select(b => b.Id)
        );
        Assert.Contains("backups/b1/data.stream", await KeysAsync(inner));
    }

    private async Task<IBackupStorage> StorageAsync(string kind)
    {
        if (kind == "folder")
        {
            return new FolderBackupStorage(Directory.CreateTempSubdirectory("prune-").FullName);
        }

        // Small pages: the listings cross several of them.
        var settings = await moto.NewBucketAsync("prune", listPageSize: 3);
        return new S3BackupStorage(S3ClientFactory.Create(settings), settings);
    }

    private static async Task PutBackupAsync(
        IBackupStorage storage,
        string id,
        DateTimeOffset finished,
        string gtid
    )
    {
        await PutAsync(storage, BackupKeys.Data(id), [1, 2, 3]);
        var manifest = new BackupManifest
        {
            Id = id,
            DataKey = BackupKeys.Data(id),
            Pod = "mysql-1",
            ServerId = 101,
            ServerVersion = "10.11.19-MariaDB",
            Flavour = "mariadb",
            BackupTool = "mariabackup",
            Compression = "zstd",
            StartedAt = finished.AddMinutes(-1),
            FinishedAt = finished,
            DataBytes = 3,
            DataXxh128 = "00",
            PayloadBytes = 3,
            GtidBefore = gtid,
            GtidAfter = gtid,
        };
        await PutAsync(
            storage,
            BackupKeys.Manifest(id),
            JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJsonContext.Default.BackupManifest)
        );
    }

    private static async Task PutBinlogAsync(
        IBackupStorage storage,
        string id,
        string start,
        string end
    )
    {
        var data = BinlogKeys.Data(id, "mysql-bin.000001");
        await PutAsync(storage, data, [4, 5, 6]);
        var manifest = new BinlogManifest
        {
            Id = id,
            DataKey = data,
            File = "mysql-bin.000001",
            Pod = "mysql-0",
            ServerId = 100,
            ServerVersion = "10.11.19-MariaDB",
            Flavour = "mariadb",
            StartGtid = start,
            EndGtid = end,
            FirstEventAt = Now,
            LastEventAt = Now,
            Bytes = 3,
            Xxh128 = "00",
            ArchivedAt = Now,
        };
        await PutAsync(
            storage,
            BinlogKeys.Manifest(id),
            JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJsonContext.Default.BinlogManifest)
        );
    }

    private static async Task PutAsync(IBackupStorage storage, string key, byte[] bytes)
    {
        using var body = new MemoryStream(bytes);
        await storage.PutAsync(key, body, bytes.Length, default);
    }

    private static async Task<List<string>> KeysAsync(IBackupStorage storage)
    {
        var keys = new List<string>();
        await foreach (var stored in storage.ListAsync("", default))
        {
            keys.Add(stored.Key);
        }

        return keys;
    }

    /// <summary>A storage whose second delete fails, as a lost connection would.</summary>
    private sealed class DeleteOnceStorage(IBackupStorage inner) : IBackupStorage
    {
        private int _deletes;

        public string Location => inner.Location;

        public Task PutAsync(
            string key,
            Stream content,
            long? expectedBytes,
            CancellationToken cancellationToken
        ) => inner.PutAsync(key, content, expectedBytes, cancellationToken);

        public Task<Stream> GetAsync(string key, CancellationToken cancellationToken) =>
            inner.GetAsync(key, cancellationToken);

        public IAsyncEnumerable<StoredObject> ListAsync(
            string prefix,
            CancellationToken cancellationToken
        ) => inner.ListAsync(prefix, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
            ++_deletes == 2
                ? throw new IOException("connection reset")
                : inner.DeleteAsync(key, cancellationToken);
    }
}
