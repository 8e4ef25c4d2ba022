using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

public sealed class FileLeaseStoreTests : LeaseStoreContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("i15-file-lease-").FullName;

    protected override ILeaseStore NewClient() =>
        new FileLeaseStore(_folder, TimeSpan.FromSeconds(5), TimeProvider.System);

    [Fact]
    public async Task A_lock_held_past_the_call_timeout_is_unavailable_and_the_record_stays()
    {
        var created = (await NewClient().CreateAsync(First, CancellationToken.None)).Lease!;
        var impatient = new FileLeaseStore(
            _folder,
            TimeSpan.FromMilliseconds(200),
            TimeProvider.System
        );

        LeaseResult result;
        using (
            new FileStream(
                Path.Combine(_folder, FileLeaseStore.LockFileName),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None
            )
        )
        {
            result = await impatient.ReplaceAsync(
                First with
                {
                    Holder = "mysql-1",
                    Term = 2,
                },
                created.Version,
                CancellationToken.None
            );
        }

        Assert.Equal(LeaseOutcome.Unavailable, result.Outcome);
        Assert.Contains(FileLeaseStore.LockFileName, result.Error, StringComparison.Ordinal);
        Assert.Equal(created, (await NewClient().GetAsync(CancellationToken.None)).Lease);
    }

    [Fact]
    public async Task A_damaged_file_is_unavailable_naming_the_file_not_an_empty_store()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, FileLeaseStore.FileName), "{\"vers");

        var read = await NewClient().GetAsync(CancellationToken.None);
        var create = await NewClient().CreateAsync(First, CancellationToken.None);

        Assert.Equal(LeaseOutcome.Unavailable, read.Outcome);
        Assert.Contains(FileLeaseStore.FileName, read.Error, StringComparison.Ordinal);
        Assert.Equal(LeaseOutcome.Unavailable, create.Outcome);
    }

    [Fact]
    public async Task A_write_leaves_no_temporary_file_behind()
    {
        var created = (await NewClient().CreateAsync(First, CancellationToken.None)).Lease!;
        await NewClient()
            .ReplaceAsync(First with { Term = 2 }, created.Version, CancellationToken.None);

        Assert.Equal(
            [FileLeaseStore.FileName, FileLeaseStore.LockFileName],
            Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)
        );
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
