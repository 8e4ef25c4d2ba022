using Amazon.S3;
using Amazon.S3.Model;
using MysqlAgent.Storage;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Storage;

/// <summary>One moto_server for a test class; each test gets its own bucket.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private int _buckets;

    public MotoServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await MotoServer.StartAsync();

    /// <summary>Settings for a fresh, empty bucket, with moto's test credentials from files.</summary>
    public async Task<S3StorageSettings> NewBucketAsync(string prefix, int listPageSize = 1000)
    {
        var bucket = $"backups-{Interlocked.Increment(ref _buckets)}";
        var folder = Directory.CreateTempSubdirectory("moto-keys-").FullName;
        var idFile = Path.Combine(folder, "access-key-id");
        var secretFile = Path.Combine(folder, "secret-access-key");
        await File.WriteAllTextAsync(idFile, MotoServer.AccessKeyId + "\n");
        await File.WriteAllTextAsync(secretFile, MotoServer.SecretAccessKey + "\n");
        var settings = new S3StorageSettings(
            bucket,
            prefix,
            Endpoint: Server.Endpoint,
            Region: MotoServer.Region,
            PathStyle: true,
            AccessKeyIdFile: idFile,
            SecretAccessKeyFile: secretFile,
            ListPageSize: listPageSize
        );
        using var client = S3ClientFactory.Create(settings);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return settings;
    }

    /// <summary>Multipart uploads still open in the bucket: an aborted put leaves none.</summary>
    public static async Task<int> OpenUploadsAsync(S3StorageSettings settings)
    {
        using var client = S3ClientFactory.Create(settings);
        var uploads = await client.ListMultipartUploadsAsync(
            new ListMultipartUploadsRequest { BucketName = settings.Bucket }
        );
        return uploads.MultipartUploads?.Count ?? 0;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
