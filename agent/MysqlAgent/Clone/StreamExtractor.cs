using CliWrap;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Common;
using MysqlAgent.Configuration;
using MysqlAgent.Processes;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>
/// Runs <c>mbstream -x -C staging</c> (or xbstream) with its stdin fed straight from the donor's
/// framed body. Succeeds only when the trailer verified AND the extractor exited 0 AND the staging
/// folder holds the backup's checkpoints file: mbstream alone exits 0 on an empty stream.
/// </summary>
public static class StreamExtractor
{
    public static readonly IReadOnlyList<string> CheckpointFiles =
    [
        "xtrabackup_checkpoints",
        "mariadb_backup_checkpoints",
    ];

    public static Task<BackupStreamTrailer> ExtractAsync(
        string extractor,
        string staging,
        Stream body,
        Endpoint donor,
        CancellationToken cancellationToken
    ) => ExtractAsync(extractor, staging, body, donor, null, cancellationToken);

    /// <summary>As above; <paramref name="progress"/> hears the payload bytes extracted so far.</summary>
    public static async Task<BackupStreamTrailer> ExtractAsync(
        string extractor,
        string staging,
        Stream body,
        Endpoint donor,
        Action<long>? progress,
        CancellationToken cancellationToken
    )
    {
        var tail = new OutputTail(8);
        BackupStreamTrailer? trailer = null;
        Exception? streamFailure = null;
        // A failing stream kills the extractor at once: never let it see an EOF it could take for the end.
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var source = PipeSource.Create(
            async (stdin, ct) =>
            {
                PipeCapacity.TryGrow(stdin);
                var input = new WriteFailureTracker(stdin);
                try
                {
                    trailer = await BackupStreamReader
                        .CopyPayloadAsync(body, input, progress, ct)
                        .ConfigureAwait(false);
                }
                catch (IOException) when (input.WriteFailed)
                {
                    // The extractor died or closed its stdin: its exit code and output tell why.
                }
                catch (Exception e)
                    when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    streamFailure = e;
                    await kill.CancelAsync().ConfigureAwait(false);
                }
            }
        );

        CommandResult result;
        try
        {
            result = await Cli.Wrap(extractor)
                .WithArguments(["-x", "-C", staging])
                .WithStandardInputPipe(source)
                .WithStandardOutputPipe(tail.Target)
                .WithStandardErrorPipe(tail.Target)
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(kill.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException)
            when (streamFailure is not null && !cancellationToken.IsCancellationRequested)
        {
            throw Classify(streamFailure, donor);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CloneStepFailedException(
                $"cannot run the extractor '{extractor}': {e.Message}; set --stream-tool-path",
                donor
            );
        }

        if (streamFailure is not null)
        {
            throw Classify(streamFailure, donor);
        }

        if (result.ExitCode != 0)
        {
            throw new CloneStepFailedException(
                $"{extractor} exited with code {result.ExitCode} on the stream from {donor}: {tail}",
                donor
            );
        }

        if (trailer is null)
        {
            // The extractor closed its stdin before the end frame arrived, yet exited 0.
            throw new CloneStepFailedException(
                $"{extractor} stopped reading before the stream from {donor} ended: {tail}",
                donor
            );
        }

        if (!CheckpointFiles.Any(f => File.Exists(Path.Combine(staging, f))))
        {
            throw new CloneStepFailedException(
                $"the stream from {donor} extracted to no backup: {string.Join(" or ", CheckpointFiles)} missing in {staging}",
                donor
            );
        }

        return trailer;
    }

    private static Exception Classify(Exception failure, Endpoint donor) =>
        failure switch
        {
            CloneException or BackupStreamException => failure,
            IOException or HttpRequestException => new DonorUnavailableException(
                $"backup stream from {donor} broke: {failure.Message}",
                donor,
                failure
            ),
            _ => failure,
        };

    /// <summary>Tells a failed write to the extractor's stdin from a failed read of the donor's body.</summary>
    private sealed class WriteFailureTracker(Stream inner) : Stream
    {
        public bool WriteFailed { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask WriteAsync(
            ReadOnlyMemory<byte> buffer,
            CancellationToken cancellationToken = default
        )
        {
            try
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                WriteFailed = true;
                throw;
            }
        }

        public override Task WriteAsync(
            byte[] buffer,
            int offset,
            int count,
            CancellationToken cancellationToken
        ) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) =>
            throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
