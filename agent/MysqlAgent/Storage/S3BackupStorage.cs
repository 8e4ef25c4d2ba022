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
        // Two buffers: the next part is read from the source while the previous one uploads, so
        // the backup tool is not held up by each request.
        var parts = new List<PartETag>();
        var rented = new List<byte[]>();
        var current = firstBuffer;
        var read = firstRead;
        byte[]? spare = null;
        Task<UploadPartResponse>? inFlight = null;
        var inFlightNumber = 0;
        try
        {
            for (var number = 1; ; number++)
            {
                var upload = UploadPartAsync(
                    key,
                    objectKey,
                    started.UploadId,
                    number,
                    current,
                    read,
                    cancellationToken
                );
                var (previous, previousNumber) = (inFlight, inFlightNumber);
                (inFlight, inFlightNumber) = (upload, number);
                if (previous is not null)
                {
                    parts.Add(
                        new PartETag(previousNumber, (await previous.ConfigureAwait(false)).ETag)
                    );
                }
                if (number == PartSizing.MaxParts)
                {
                    var probe = spare ?? new byte[1];
                    if (
                        await content
                            .ReadAsync(probe.AsMemory(0, 1), cancellationToken)
                            .ConfigureAwait(false) != 0
                    )
                    {
                        throw new BackupStorageException(
                            $"upload of '{key}' to {Location} exceeds S3's {PartSizing.MaxParts} parts"
                        );
                    }

                    break;
                }

                // The part before the one in flight has been acknowledged: its buffer is free.
                var size = (int)PartSizing.Part(firstPart, number + 1);
                byte[] next;
                if (spare is not null && spare.Length >= size)
                {
                    next = spare;
                }
                else
                {
                    next = ArrayPool<byte>.Shared.Rent(size);
                    rented.Add(next);
                }

                spare = current;
                current = next;
                read = await content
                    .ReadAtLeastAsync(current.AsMemory(0, size), size, false, cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
            }

            parts.Add(new PartETag(inFlightNumber, (await inFlight.ConfigureAwait(false)).ETag));
            inFlight = null;
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
            // The part still uploading reads its buffer: let it end before the buffer goes back.
            if (inFlight is not null)
            {
                try
                {
                    await inFlight.ConfigureAwait(false);
                }
                catch (Exception e)
                    when (e
                            is AmazonS3Exception
                                or BackupStorageException
                                or IOException
                                or OperationCanceledException
                                or HttpRequestException
                    )
                {
                    // The put fails with the first error; this one adds nothing.
                }
            }

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
            foreach (var buffer in rented)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private Task<UploadPartResponse> UploadPartAsync(
        string key,
        string objectKey,
        string uploadId,
        int number,
        byte[] buffer,
        int read,
        CancellationToken cancellationToken
    ) =>
        Call(
            key,
            () =>
                _client.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = _settings.Bucket,
                        Key = objectKey,
                        UploadId = uploadId,
                        PartNumber = number,
                        PartSize = read,
                        InputStream = new MemoryStream(buffer, 0, read, false),
                    },
                    cancellationToken
                )
        );

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
