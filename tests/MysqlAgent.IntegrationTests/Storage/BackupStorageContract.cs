using System.Security.Cryptography;
using MysqlAgent.Storage;

namespace MysqlAgent.IntegrationTests.Storage;

/// <summary>
/// What every backup storage must do, run against each implementation: a put is all or nothing, a
/// large object goes up in parts and comes back whole, a listing crosses pages, a missing object is
/// a typed error.
/// </summary>
public abstract class BackupStorageContract
{
    /// <summary>A storage whose listing returns at most <see cref="PageSize"/> keys per request, where it pages.</summary>
    protected abstract IBackupStorage Storage { get; }

    protected const int PageSize = 3;

    /// <summary>More than one 5 MiB part, and not a multiple of it.</summary>
    private const int LargeBytes = (12 << 20) + 12345;

    [Fact]
    public async Task An_object_put_comes_back_with_the_same_bytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await Storage.PutAsync("small/one.bin", new MemoryStream(bytes), bytes.Length, default);
        Assert.Equal(bytes, await ReadAsync("small/one.bin"));
    }

    [Fact]
    public async Task An_object_larger_than_one_part_goes_up_in_parts_and_comes_back_whole()
    {
        var bytes = RandomNumberGenerator.GetBytes(LargeBytes);
        // No size hint: the first part is the smallest allowed, so 12 MiB takes three parts.
        await Storage.PutAsync("large/data.stream", new MemoryStream(bytes), null, default);
        Assert.Equal(bytes, await ReadAsync("large/data.stream"));
        var listed = await ListAsync("large/");
        Assert.Equal([new StoredObject("large/data.stream", LargeBytes)], listed);
    }

    [Fact]
    public async Task An_upload_cut_midway_leaves_no_object()
    {
        var source = new FailingStream(
            RandomNumberGenerator.GetBytes(LargeBytes),
            failAfter: 7 << 20
        );
        await Assert.ThrowsAsync<IOException>(() =>
            Storage.PutAsync("cut/data.stream", source, LargeBytes, default)
        );
        Assert.Empty(await ListAsync("cut/"));
        await Assert.ThrowsAsync<StoredObjectNotFoundException>(() =>
            Storage.GetAsync("cut/data.stream", default)
        );
    }

    [Fact]
    public async Task A_small_upload_cut_before_its_end_leaves_no_object()
    {
        var source = new FailingStream(RandomNumberGenerator.GetBytes(4096), failAfter: 1000);
        await Assert.ThrowsAsync<IOException>(() =>
            Storage.PutAsync("cut-small/manifest.json", source, null, default)
        );
        Assert.Empty(await ListAsync("cut-small/"));
    }

    [Fact]
    public async Task A_cancelled_upload_leaves_no_object()
    {
        using var cancel = new CancellationTokenSource();
        var source = new FailingStream(
            RandomNumberGenerator.GetBytes(LargeBytes),
            failAfter: 7 << 20,
            onFail: cancel.Cancel
        );
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Storage.PutAsync("cancelled/data.stream", source, null, cancel.Token)
        );
        Assert.Empty(await ListAsync("cancelled/"));
    }

    [Fact]
    public async Task A_listing_returns_every_object_under_the_prefix_across_pages()
    {
        var keys = Enumerable
            .Range(0, PageSize * 3 + 1)
            .Select(i => $"paged/b-{i:D2}/manifest.json")
            .ToList();
        foreach (var key in keys)
        {
            await Storage.PutAsync(key, new MemoryStream([1, 2, 3]), 3, default);
        }

        await Storage.PutAsync("pagedness/other.json", new MemoryStream([1]), 1, default);
        var listed = await ListAsync("paged/");
        Assert.Equal(keys, listed.Select(o => o.Key));
        Assert.All(listed, o => Assert.Equal(3, o.Bytes));
    }

    [Fact]
    public async Task A_missing_object_is_a_typed_error_naming_its_key()
    {
        var e = await Assert.ThrowsAsync<StoredObjectNotFoundException>(() =>
            Storage.GetAsync("missing/manifest.json", default)
        );
        Assert.Equal("missing/manifest.json", e.Key);
        Assert.Contains("missing/manifest.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_object_is_gone_and_deleting_it_again_is_no_error()
    {
        await Storage.PutAsync("deleted/x.bin", new MemoryStream([9]), 1, default);
        await Storage.DeleteAsync("deleted/x.bin", default);
        await Storage.DeleteAsync("deleted/x.bin", default);
        Assert.Empty(await ListAsync("deleted/"));
    }

    [Fact]
    public async Task A_put_replaces_the_object_under_the_same_key()
    {
        await Storage.PutAsync("replaced/x.bin", new MemoryStream([1, 1]), 2, default);
        await Storage.PutAsync("replaced/x.bin", new MemoryStream([2]), 1, default);
        Assert.Equal([2], await ReadAsync("replaced/x.bin"));
    }

    private async Task<byte[]> ReadAsync(string key)
    {
        var stream = await Storage.GetAsync(key, default);
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    private async Task<List<StoredObject>> ListAsync(string prefix)
    {
        var found = new List<StoredObject>();
        await foreach (var item in Storage.ListAsync(prefix, default))
        {
            found.Add(item);
        }

        return found;
    }
}
