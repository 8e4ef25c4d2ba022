using MysqlAgent.Storage;

namespace MysqlAgent.IntegrationTests.Storage;

/// <summary>The storage contract against a real S3-compatible server (moto_server), through AWSSDK.S3.</summary>
[Trait("Category", "Slow")]
public sealed class S3StorageContractTests
    : BackupStorageContract,
        IClassFixture<MotoFixture>,
        IAsyncLifetime
{
    private readonly MotoFixture _moto;
    private S3StorageSettings _settings = null!;
    private S3BackupStorage _storage = null!;

    public S3StorageContractTests(MotoFixture moto)
    {
        _moto = moto;
    }

    protected override IBackupStorage Storage => _storage;

    public async Task InitializeAsync()
    {
        _settings = await _moto.NewBucketAsync("set-a/", listPageSize: PageSize);
        _storage = new S3BackupStorage(S3ClientFactory.Create(_settings), _settings);
    }

    [Fact]
    public async Task A_cut_multipart_upload_is_aborted_on_the_server()
    {
        var source = new FailingStream(new byte[12 << 20], failAfter: 7 << 20);
        await Assert.ThrowsAsync<IOException>(() =>
            Storage.PutAsync("cut/data.stream", source, null, default)
        );
        Assert.Equal(0, await MotoFixture.OpenUploadsAsync(_settings));
    }

    [Fact]
    public async Task Keys_are_kept_under_the_prefix_and_listed_without_it()
    {
        await Storage.PutAsync("k/one", new MemoryStream([1]), 1, default);
        var other = new S3BackupStorage(
            S3ClientFactory.Create(_settings with { Prefix = "" }),
            _settings with
            {
                Prefix = "",
            }
        );
        using (other)
        {
            var keys = new List<string>();
            await foreach (var item in other.ListAsync("", default))
            {
                keys.Add(item.Key);
            }

            Assert.Contains("set-a/k/one", keys);
        }
    }

    public Task DisposeAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }
}
