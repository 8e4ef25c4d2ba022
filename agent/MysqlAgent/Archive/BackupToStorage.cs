using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive;

/// <summary>
/// One full backup of the local server into storage: the backup tool's stream, framed, checksummed
/// and compressed exactly as a clone receives it (<see cref="BackupStreamer"/>), goes straight into
/// the storage's put through an in-memory pipe; only once the data object is whole and the tool
/// said ok is the manifest written, last. Any failure on either side kills the tool and aborts the
/// put, and leaves no manifest.
/// </summary>
public sealed class BackupToStorage
{
    /// <summary>Bytes the pipe holds before the tool's copy waits for the upload.</summary>
    private const long PipeBytes = 8L << 20;

    private readonly AgentOptions _options;
    private readonly IBackupStorage _storage;
    private readonly BackupStreamer _streamer;
    private readonly LocalServer _server;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BackupToStorage(
        AgentOptions options,
        IBackupStorage storage,
        BackupStreamer streamer,
        LocalServer server,
        TimeProvider time,
        ILogger logger
    )
    {
        _options = options;
        _storage = storage;
        _streamer = streamer;
        _server = server;
        _time = time;
        _logger = logger;
    }

    public Task<BackupManifest> RunAsync(CancellationToken cancellationToken) =>
        RunAsync(null, null, cancellationToken);

    /// <summary>
    /// A backup under <paramref name="id"/> (null: a new one, <see cref="BackupKeys.NewId"/>), its
    /// manifest naming the schedule's <paramref name="tick"/> when it is a scheduled one.
    /// </summary>
    public async Task<BackupManifest> RunAsync(
        string? id,
        string? tick,
        CancellationToken cancellationToken
    )
    {
        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        id ??= BackupKeys.NewId(startedAt, _options.Pod.PodName);
        ArchiveLog.Starting(
            _logger,
            id,
            _options.LocalMysql.ToString(),
            _storage.Location,
            _options.StreamCompression.ToString()
        );
        try
        {
            var before = await ServerFacts
                .ReadAsync(_server, cancellationToken)
                .ConfigureAwait(false);
            var (bytes, xxh128, payload) = await UploadDataAsync(id, cancellationToken)
                .ConfigureAwait(false);
            var after = await ServerFacts
                .ReadAsync(_server, cancellationToken)
                .ConfigureAwait(false);
            var manifest = new BackupManifest
            {
                Id = id,
                DataKey = BackupKeys.Data(id),
                Pod = _options.Pod.PodName,
                ServerId = _options.ServerId,
                ServerUuid = after.ServerUuid,
                ServerVersion = after.Version,
                Flavour = after.Flavour,
                BackupTool = after.Flavour == "mariadb" ? "mariabackup" : "xtrabackup",
                Compression = _options.StreamCompression.ToString(),
                StartedAt = startedAt,
                FinishedAt = _time.GetUtcNow(),
                DataBytes = bytes,
                DataXxh128 = xxh128,
                PayloadBytes = payload,
                GtidBefore = before.Gtid,
                GtidAfter = after.Gtid,
                BinlogFileAfter = after.BinlogFile,
                BinlogPositionAfter = after.BinlogPosition,
                Tick = tick,
            };
            var json = JsonSerializer.SerializeToUtf8Bytes(
                manifest,
                ArchiveJsonContext.Default.BackupManifest
            );
            await _storage
                .PutAsync(
                    BackupKeys.Manifest(id),
                    new MemoryStream(json),
                    json.Length,
                    cancellationToken
                )
                .ConfigureAwait(false);
            ArchiveLog.Stored(
                _logger,
                id,
                _storage.Location,
                bytes,
                xxh128,
                _time.GetElapsedTime(started).TotalSeconds
            );
            return manifest;
        }
        catch (Exception e)
            when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ArchiveLog.Failed(_logger, id, _storage.Location, e.Message);
            throw e as BackupFailedException
                ?? new BackupFailedException(
                    $"backup {id} to {_storage.Location} failed: {e.Message}",
                    e
                );
        }
    }

    private async Task<(long Bytes, string Xxh128, long Payload)> UploadDataAsync(
        string id,
        CancellationToken cancellationToken
    )
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pipe = new Pipe(
            new PipeOptions(pauseWriterThreshold: PipeBytes, resumeWriterThreshold: PipeBytes / 2)
        );
        var expected = DataDirSize.TryMeasure(_options.DataDir);
        var upload = Task.Run(
            async () =>
            {
                var source = pipe.Reader.AsStream();
                try
                {
                    await _storage
                        .PutAsync(BackupKeys.Data(id), source, expected, stop.Token)
                        .ConfigureAwait(false);
                }
                catch
                {
                    // The tool must not wait on a pipe nobody reads: kill it.
                    await stop.CancelAsync().ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    await pipe.Reader.CompleteAsync().ConfigureAwait(false);
                }
            },
            CancellationToken.None
        );

        var sink = new HashingStream(pipe.Writer.AsStream(leaveOpen: true));
        BackupOutcome outcome;
        try
        {
            outcome = await _streamer
                .StreamFramedAsync(sink, "storage " + id, _options.StreamCompression, stop.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
            await ObserveAsync(upload).ConfigureAwait(false);
            throw;
        }

        if (outcome.Result != BackupResult.Success)
        {
            var failure = new BackupFailedException(
                $"the backup tool did not finish: {outcome.Error ?? outcome.Result.ToString()}"
            );
            // Completing with an error makes the put see a broken source, so it stores nothing.
            await pipe.Writer.CompleteAsync(failure).ConfigureAwait(false);
            await ObserveAsync(upload).ConfigureAwait(false);
            if (
                upload.IsFaulted
                && upload.Exception?.InnerException is { } uploadError and not BackupFailedException
            )
            {
                throw new BackupFailedException(uploadError.Message, uploadError);
            }

            throw failure;
        }

        await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        await upload.ConfigureAwait(false);
        return (sink.Bytes, sink.Xxh128, outcome.Bytes);
    }

    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported by the caller, which knows which side failed first.
        }
    }
}
