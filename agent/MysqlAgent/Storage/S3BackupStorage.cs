using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace MysqlAgent.Storage;

/// <summary>
/// Backup storage in an S3-compatible bucket under a prefix. Objects up to one part go up in one
/// PUT; larger ones as a multipart upload (<see cref="PartSizing"/>), which is aborted when the
/// put fails or is cancelled, so S3 never completes, and nobody ever sees, a partial object.
/// </summary>
public sealed class S3BackupStorage : IBackupStorage, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly S3StorageSettings _settings;
    private readonly string _prefix;

    public S3BackupStorage(IAmazonS3 client, S3StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _client = client;
        _settings = settings;
        _prefix =
            settings.Prefix.Length == 0 || settings.Prefix.EndsWith('/')
                ? settings.Prefix
                : settings.Prefix + "/";
    }

    public string Location => $"s3://{_settings.Bucket}/{_prefix}";

    public async Task PutAsync(
        string key,
        Stream content,
        long? expectedBytes,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(content);
        var objectKey = _prefix + StorageKey.Validate(key);
        var first = PartSizing.FirstPart(expectedBytes, _settings.MinPartBytes);
        var buffer = ArrayPool<byte>.Shared.Rent((int)first);
        try
        {
            var read = await content
                .ReadAtLeastAsync(
                    buffer.AsMemory(0, (int)first),
                    (int)first,
                    false,
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (read < first)
            {
                await Call(
                        key,
                        () =>
                            _client.PutObjectAsync(
                                new PutObjectRequest
                                {
                                    BucketName = _settings.Bucket,
                                    Key = objectKey,
                                    InputStream = new MemoryStream(buffer, 0, read, false),
                                    AutoCloseStream = true,
                                },
                                cancellationToken
                            )
                    )
                    .ConfigureAwait(false);
                return;
            }

            await PutMultipartAsync(key, objectKey, content, first, buffer, read, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PutMultipartAsync(
        string key,
        string objectKey,
        Stream content,
        long firstPart,
        byte[] firstBuffer,
        int firstRead,
        CancellationToken cancellationToken
    )
    {
        var started = await Call(
                key,
                () =>
                    _client.InitiateMultipartUploadAsync(
                        new InitiateMultipartUploadRequest
                        {
                            BucketName = _settings.Bucket,
                            Key = objectKey,
                        },
                        cancellationToken
                    )
            )
            .ConfigureAwait(false);
        var parts = new List<PartETag>();
        var buffer = firstBuffer;
        var read = firstRead;
        byte[]? grown = null;
        try
        {
            for (var number = 1; ; number++)
            {
                var response = await Call(
                        key,
                        () =>
                            _client.UploadPartAsync(
                                new UploadPartRequest
                                {
                                    BucketName = _settings.Bucket,
                                    Key = objectKey,
                                    UploadId = started.UploadId,
                                    PartNumber = number,
                                    PartSize = read,
                                    InputStream = new MemoryStream(buffer, 0, read, false),
                                },
                                cancellationToken
                            )
                    )
                    .ConfigureAwait(false);
                parts.Add(new PartETag(number, response.ETag));
                if (number == PartSizing.MaxParts)
                {
                    if (
                        await content
                            .ReadAsync(buffer.AsMemory(0, 1), cancellationToken)
                            .ConfigureAwait(false) != 0
                    )
                    {
                        throw new BackupStorageException(
                            $"upload of '{key}' to {Location} exceeds S3's {PartSizing.MaxParts} parts"
                        );
                    }

                    break;
                }

                var size = (int)PartSizing.Part(firstPart, number + 1);
                if (size > buffer.Length)
                {
                    if (grown is not null)
                    {
                        ArrayPool<byte>.Shared.Return(grown);
                    }

                    grown = ArrayPool<byte>.Shared.Rent(size);
                    buffer = grown;
                }

                read = await content
                    .ReadAtLeastAsync(buffer.AsMemory(0, size), size, false, cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
            }

            await Call(
                    key,
                    () =>
                        _client.CompleteMultipartUploadAsync(
                            new CompleteMultipartUploadRequest
                            {
                                BucketName = _settings.Bucket,
                                Key = objectKey,
                                UploadId = started.UploadId,
                                PartETags = parts,
                            },
                            cancellationToken
                        )
                )
                .ConfigureAwait(false);
        }
        catch
        {
            // Not the caller's token: a cancelled put must still abort, or the parts stay (billed) forever.
            try
            {
                await _client
                    .AbortMultipartUploadAsync(
                        new AbortMultipartUploadRequest
                        {
                            BucketName = _settings.Bucket,
                            Key = objectKey,
                            UploadId = started.UploadId,
                        },
                        CancellationToken.None
                    )
                    .ConfigureAwait(false);
            }
            catch (AmazonS3Exception) { }

            throw;
        }
        finally
        {
            if (grown is not null)
            {
                ArrayPool<byte>.Shared.Return(grown);
            }
        }
    }

    public async Task<Stream> GetAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = _prefix + StorageKey.Validate(key);
        try
        {
            var response = await _client
                .GetObjectAsync(
                    new GetObjectRequest { BucketName = _settings.Bucket, Key = objectKey },
                    cancellationToken
                )
                .ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e)
            when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            throw new StoredObjectNotFoundException(Location, key);
        }
        catch (AmazonS3Exception e)
        {
            throw Failed("S3 read of", key, e);
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(
        string prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(prefix);
        string? continuation = null;
        do
        {
            var page = await Call(
                    prefix,
                    () =>
                        _client.ListObjectsV2Async(
                            new ListObjectsV2Request
                            {
                                BucketName = _settings.Bucket,
                                Prefix = _prefix + prefix,
                                MaxKeys = _settings.ListPageSize,
                                ContinuationToken = continuation,
                            },
                            cancellationToken
                        )
                )
                .ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new StoredObject(item.Key[_prefix.Length..], item.Size ?? 0);
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (continuation is not null);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = _prefix + StorageKey.Validate(key);
        await Call(
                key,
                () =>
                    _client.DeleteObjectAsync(
                        new DeleteObjectRequest { BucketName = _settings.Bucket, Key = objectKey },
                        cancellationToken
                    )
            )
            .ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();

    private async Task<T> Call<T>(string key, Func<Task<T>> request)
    {
        try
        {
            return await request().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw Failed("S3 request on", key, e);
        }
    }

    private BackupStorageException Failed(string what, string key, AmazonS3Exception e) =>
        new(
            $"{what} '{key}' in {Location} failed: {(int)e.StatusCode} {e.ErrorCode} ({e.Message}); check the bucket, the credentials and --s3-endpoint",
            e
        );
}
