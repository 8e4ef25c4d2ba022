using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using CliWrap;
using Microsoft.Extensions.Logging;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Common;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Processes;
using MySqlConnector;

namespace MysqlAgent.Backup;

/// <summary>
/// Runs one fresh hot backup of the local server and copies the tool's stdout, in 1 MiB chunks,
/// straight to a receiver: nothing is buffered whole, in memory or on disk. When the receiver goes
/// away the tool (and anything it forked) is killed at once and waited for. Counts every stream in
/// the backup metrics.
/// </summary>
public sealed class BackupStreamer
{
    /// <summary>Large reads keep the copy near the local limit (the example's ncat relayed 8 KB pieces).</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>How many of the tool's last stderr lines go into a failed end frame.</summary>
    private const int ErrorLines = 10;

    private readonly AgentOptions _options;
    private readonly BackupToolSelector _selector;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupStreamer> _logger;

    public BackupStreamer(
        AgentOptions options,
        BackupToolSelector selector,
        AgentMetrics metrics,
        TimeProvider time,
        ILogger<BackupStreamer> logger
    )
    {
        _options = options;
        _selector = selector;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Streams the backup in the framed format of <see cref="BackupStreamFormat"/> and ends it with
    /// the end frame (ok or failed). A cancelled stream gets no end frame: its receiver is gone.
    /// </summary>
    public async Task<BackupOutcome> StreamFramedAsync(
        Stream body,
        string receiver,
        CancellationToken cancellationToken
    ) =>
        await StreamFramedAsync(body, receiver, StreamCompression.None, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>As above, with each data frame compressed as <paramref name="compression"/> says.</summary>
    public async Task<BackupOutcome> StreamFramedAsync(
        Stream body,
        string receiver,
        StreamCompression compression,
        CancellationToken cancellationToken
    )
    {
        using var writer = new BackupStreamWriter(body, compression);
        return await RunAsync(
                receiver,
                writer.WriteAsync,
                (outcome, ct) => writer.CompleteAsync(outcome.ExitCode, outcome.Error, ct),
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>Streams the raw xbstream, as the example's <c>ncat</c> did; the caller signals failure by resetting the connection.</summary>
    public Task<BackupOutcome> StreamRawAsync(
        Stream destination,
        string receiver,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RunAsync(
            receiver,
            destination.WriteAsync,
            async (outcome, ct) =>
            {
                if (outcome.Result == BackupResult.Success)
                {
                    await destination.FlushAsync(ct).ConfigureAwait(false);
                }
            },
            cancellationToken
        );
    }

    private async Task<BackupOutcome> RunAsync(
        string receiver,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        Func<BackupOutcome, CancellationToken, ValueTask> complete,
        CancellationToken cancellationToken
    )
    {
        var started = _time.GetTimestamp();
        var stderr = new OutputTail();
        _metrics.BackupsInProgress.Inc();
        BackupOutcome outcome;
        try
        {
            outcome = await RunToolAsync(receiver, write, stderr, cancellationToken)
                .ConfigureAwait(false);
            if (outcome.Result != BackupResult.Cancelled)
            {
                try
                {
                    await complete(outcome, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    outcome = outcome with
                    {
                        Result = BackupResult.Cancelled,
                        Error =
                            $"the receiver went away before the end of the stream ({e.Message})",
                    };
                }
            }
        }
        finally
        {
            _metrics.BackupsInProgress.Dec();
        }

        var seconds = _time.GetElapsedTime(started).TotalSeconds;
        _metrics.BackupStreamDuration.Observe(seconds);
        _metrics.BackupStreams.WithLabels(outcome.MetricLabel).Inc();
        var tail = string.Join(" | ", stderr.Last());
        switch (outcome.Result)
        {
            case BackupResult.Success:
                BackupLog.Succeeded(_logger, receiver, outcome.Bytes, seconds);
                break;
            case BackupResult.Failed:
                // The end frame's error repeats the last stderr lines; the log has them all below.
                var reason = outcome.ExitCode is { } code
                    ? string.Create(
                        CultureInfo.InvariantCulture,
                        $"the tool exited with code {code}"
                    )
                    : outcome.Error ?? "";
                BackupLog.Failed(_logger, receiver, outcome.Bytes, reason, tail);
                break;
            default:
                BackupLog.Cancelled(_logger, receiver, outcome.Bytes, outcome.Error ?? "", tail);
                break;
        }

        return outcome;
    }

    private async Task<BackupOutcome> RunToolAsync(
        string receiver,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        OutputTail stderr,
        CancellationToken cancellationToken
    )
    {
        BackupToolKind kind;
        try
        {
            kind = await _selector.SelectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new BackupOutcome(BackupResult.Cancelled, 0, null, "the receiver went away");
        }
        catch (MySqlException e)
        {
            return new BackupOutcome(
                BackupResult.Failed,
                0,
                null,
                $"cannot ask the local server {_options.LocalMysql} for its flavour to choose the backup tool ({e.Message}); set --backup-tool or check that mysqld is up"
            );
        }

        var toolPath = BackupToolCommand.ToolPath(kind, _options.BackupToolPath);
        DefaultsExtraFile credentials;
        try
        {
            credentials = DefaultsExtraFile.Create(
                _options.BackupUser,
                _options.BackupPassword?.Value ?? ""
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new BackupOutcome(
                BackupResult.Failed,
                0,
                null,
                $"cannot write the backup credentials to a private folder under {Path.GetTempPath()} ({e.Message}); give the agent a writable temp dir (TMPDIR)"
            );
        }

        try
        {
            return await RunProcessAsync(
                    receiver,
                    kind,
                    toolPath,
                    credentials,
                    write,
                    stderr,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        finally
        {
            if (!credentials.TryDelete(out var error))
            {
                BackupLog.CleanupFailed(_logger, credentials.Folder, error ?? "");
            }
        }
    }

    private async Task<BackupOutcome> RunProcessAsync(
        string receiver,
        BackupToolKind kind,
        string toolPath,
        DefaultsExtraFile credentials,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        OutputTail stderr,
        CancellationToken cancellationToken
    )
    {
        // Cancelling this kills the tool: either the caller's token (receiver gone, agent stopping)
        // or a failed write. CliWrap kills the whole process tree and waits for it before returning.
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long bytes = 0;
        Exception? writeError = null;

        var stdout = PipeTarget.Create(
            async (source, ct) =>
            {
                PipeCapacity.TryGrow(source);
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                try
                {
                    while (true)
                    {
                        var read = await source
                            .ReadAtLeastAsync(
                                buffer.AsMemory(0, ChunkSize),
                                ChunkSize,
                                throwOnEndOfStream: false,
                                ct
                            )
                            .ConfigureAwait(false);
                        if (read == 0)
                        {
                            return;
                        }

                        try
                        {
                            await write(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                        }
                        catch (Exception e)
                            when (e
                                    is OperationCanceledException
                                        or IOException
                                        or ObjectDisposedException
                            )
                        {
                            // The tool would block on a full pipe forever: kill it now.
                            writeError = e;
                            await kill.CancelAsync().ConfigureAwait(false);
                            return;
                        }

                        bytes += read;
                        _metrics.BackupBytesSent.Inc(read);
                        if (read < ChunkSize)
                        {
                            return;
                        }
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        );
        var stderrLines = PipeTarget.ToDelegate(line =>
        {
            stderr.Add(line);
            BackupLog.ToolOutput(_logger, line);
        });

        BackupLog.Starting(_logger, receiver, toolPath, _options.LocalMysql.ToString());
        CommandResult result;
        try
        {
            result = await BackupToolCommand
                .Build(kind, toolPath, credentials, _options.LocalMysql)
                .WithStandardOutputPipe(stdout)
                .WithStandardErrorPipe(stderrLines)
                .ExecuteAsync(kill.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            var reason = writeError is null
                ? "the receiver went away"
                : $"writing to the receiver failed: {writeError.Message}";
            return new BackupOutcome(BackupResult.Cancelled, bytes, null, reason);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return new BackupOutcome(
                BackupResult.Failed,
                0,
                null,
                $"cannot start the backup tool '{toolPath}' ({e.Message}); install it or set --backup-tool-path"
            );
        }

        if (result.ExitCode == 0)
        {
            return new BackupOutcome(BackupResult.Success, bytes, 0, null);
        }

        var lastLines = stderr.Last(ErrorLines);
        var detail = lastLines.Count == 0 ? "no output on stderr" : string.Join(" | ", lastLines);
        return new BackupOutcome(
            BackupResult.Failed,
            bytes,
            result.ExitCode,
            $"{Path.GetFileName(toolPath)} exited with code {result.ExitCode}: {detail}"
        );
    }
}
