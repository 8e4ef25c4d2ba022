using MysqlAgent.Storage;

namespace MysqlAgent.IntegrationTests.Storage;

public sealed class FolderStorageContractTests : BackupStorageContract, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("folder-storage-").FullName;

    public FolderStorageContractTests()
    {
        Storage = new FolderBackupStorage(_root);
    }

    protected override IBackupStorage Storage { get; }

    [Fact]
    public async Task A_cut_upload_leaves_no_temp_file_behind()
    {
        var source = new FailingStream(new byte[4096], failAfter: 1000);
        await Assert.ThrowsAsync<IOException>(() =>
            Storage.PutAsync("x/y.bin", source, null, default)
        );
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
