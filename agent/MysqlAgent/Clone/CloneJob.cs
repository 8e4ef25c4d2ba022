using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using Polly.Timeout;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>
/// <c>mysql-agent clone</c>: decides from the datadir's markers whether to clone, then fetches,
/// extracts, verifies, prepares and installs a backup from a donor, retrying transient failures
/// until <see cref="AgentOptions.CloneDeadline"/>.
/// </summary>
public sealed class CloneJob
{
    private AgentOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _http;
    private readonly CloneRetryPolicy _policy;
    private readonly Func<string, bool> _isOnPath;
    private readonly Metrics.AgentMetrics _metrics;

    public CloneJob(
        AgentOptions options,
        ILogger logger,
        TimeProvider timeProvider,
        HttpClient http,
        CloneRetryPolicy? policy = null,
        Func<string, bool>? isOnPath = null,
        Metrics.AgentMetrics? metrics = null
    )
    {
        _metrics = metrics ?? new Metrics.AgentMetrics(Prometheus.Metrics.NewCustomRegistry());
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _http = http;
        _policy = policy ?? CloneRetryPolicy.Default;
        _isOnPath = isOnPath ?? StreamTool.IsOnPath;
    }

    private string DataDir => _options.DataDir;

    public async Task<CloneOutcome> RunAsync(CancellationToken cancellationToken)
    {
        if (DataDirState.Inspect(DataDir).Kind == DataDirKind.RecloneRequested)
        {
            _options = _options with { Donor = MoveAside() };
        }
        else if (_options.Donor is null || _options.Pod.Ordinal == 0)
        {
            CloneLog.NothingToDo(
                _logger,
                $"{_options.Pod.PodName} is ordinal 0, the first primary: it starts from its own datadir"
            );
            return CloneOutcome.Skipped;
        }

        var state = DataDirState.Inspect(DataDir);
        switch (state.Kind)
        {
            case DataDirKind.CompleteClone:
            case DataDirKind.InitialisedData:
                CloneLog.NothingToDo(_logger, state.Reason);
                return CloneOutcome.Skipped;
            case DataDirKind.Partial:
                CloneLog.CleaningPartial(_logger, state.Reason);
                DataDirState.Clean(DataDir);
                break;
        }

        Directory.CreateDirectory(DataDir);
        var token =
            _options.BackupToken
            ?? throw new InvalidOperationException(
                "clone needs a backup token (validated by CloneCommand)"
            );
        var donors = new DonorClient(
            _http,
            _options.ConnectTo,
            token,
            _timeProvider,
            _options.SetId,
            _options.Tls
        );
        var selector = new DonorSelector(
            _options,
            new PeerStatusClient(
                _http,
                _options.ConnectTo,
                CloneRetryPipeline.BuildStatusTimeout(_policy, _timeProvider)
            ),
            _policy,
            _logger
        );

        var attempts = 0;
        string? lastReason = null;
        var pipeline = CloneRetryPipeline.Build(
            _policy,
            _options.CloneDeadline,
            _timeProvider,
            retry =>
            {
                selector.RecordFailure();
                lastReason = retry.Failure.Message;
                CloneLog.AttemptFailed(
                    _logger,
                    retry.Attempt,
                    selector.Current.ToString(),
                    retry.Failure.Message,
                    retry.NextDelay.TotalSeconds
                );
                return ValueTask.CompletedTask;
            }
        );

        try
        {
            await pipeline
                .ExecuteAsync(
                    async ct =>
                    {
                        attempts++;
                        var donor = await selector.NextAsync(ct).ConfigureAwait(false);
                        await AttemptAsync(attempts, donor, donors, ct).ConfigureAwait(false);
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            throw new CloneDeadlineExceededException(
                _options.CloneDeadline,
                attempts,
                lastReason,
                selector.Current
            );
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CloneLog.Cancelled(_logger);
            throw;
        }

        return CloneOutcome.Cloned;
    }

    /// <summary>
    /// Carries out a re-clone request: the whole datadir becomes a sibling folder in one rename (so a
    /// crash leaves either the old datadir with its request or an empty one), and an empty datadir
    /// takes its place. Returns the donor the request names. The copy is kept, within
    /// <c>--keep-errant-datadirs</c>, and only when the volume has room to clone beside it
    /// (<see cref="ErrantDataDirs"/>); else nothing is changed and the clone fails naming the fix.
    /// </summary>
    private Endpoint MoveAside()
    {
        var request = RecloneRequest.ReadFrom(DataDir)!;
        if (!Endpoint.TryParse(request.Donor, _options.BackupPort, out var donor))
        {
            throw new RecloneException(
                $"{RecloneRequest.PathIn(DataDir)} names the donor '{request.Donor}', not host or host:port; fix it, or delete the file to keep this datadir"
            );
        }

        if (_options.BackupToken is null)
        {
            throw new RecloneException(
                $"{RecloneRequest.PathIn(DataDir)} asks for a clone, but there is no backup token: set --backup-token-file (a file from the Secret) or MYSQL_AGENT_BACKUP_TOKEN"
            );
        }

        var moved = new ErrantDataDirs(
            _options.KeepErrantDataDirs,
            ErrantDataDirs.AvailableBytesOn
        ).MoveAside(DataDir, _timeProvider.GetUtcNow());
        foreach (var old in moved.DeletedOlder)
        {
            CloneLog.OlderCopyDeleted(_logger, old, _options.KeepErrantDataDirs);
        }

        if (moved.Kept)
        {
            CloneLog.MovedAside(
                _logger,
                DataDir,
                moved.Aside,
                request.Term,
                request.Errant,
                donor.ToString()
            );
        }
        else
        {
            CloneLog.NotKeptByChoice(
                _logger,
                DataDir,
                request.Term,
                request.Errant,
                donor.ToString()
            );
        }

        return donor;
    }

    private async Task AttemptAsync(
        int attempt,
        Endpoint donor,
        DonorClient donors,
        CancellationToken cancellationToken
    )
    {
        var staging = CloneMarker.StagingPath(DataDir);
        if (DataDirState.Inspect(DataDir).Kind == DataDirKind.Partial)
        {
            // What an earlier attempt left (staging, or an install cut by an I/O error).
            DataDirState.Clean(DataDir);
        }

        CloneLog.AttemptStarting(
            _logger,
            attempt,
            donor.ToString(),
            _options.ConnectTo.Resolve(donor).ToString()
        );
        var started = _timeProvider.GetTimestamp();
        try
        {
            Directory.CreateDirectory(staging);
            using var response = await donors
                .OpenBackupAsync(donor, _options.StreamCompression, cancellationToken)
                .ConfigureAwait(false);
            CloneLog.StreamOpened(
                _logger,
                donor.ToString(),
                response.Compression,
                response.DataDirBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    ?? "size unknown"
            );
            var progress = new CloneProgress(
                _logger,
                _timeProvider,
                _metrics,
                donor.ToString(),
                response.DataDirBytes
            );
            var tool = StreamTool.Choose(_options, response.BackupTool, _isOnPath);
            CloneLog.Extracting(_logger, donor.ToString(), tool.Extractor, staging);
            await using var body = new IdleTimeoutStream(
                response.Body,
                _policy.StreamIdleTimeout,
                _timeProvider,
                donor
            );
            var trailer = await StreamExtractor
                .ExtractAsync(
                    tool.Extractor,
                    staging,
                    body,
                    donor,
                    progress.Report,
                    cancellationToken
                )
                .ConfigureAwait(false);
            CloneLog.StreamVerified(
                _logger,
                donor.ToString(),
                trailer.Bytes,
                trailer.Xxh128,
                tool.Preparer
            );
            await BackupPreparer
                .PrepareAsync(tool.Preparer, staging, donor, cancellationToken)
                .ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            var entries = CloneInstaller.Install(
                DataDir,
                new CloneCompletion(
                    donor.ToString(),
                    trailer.Bytes,
                    trailer.Xxh128,
                    _timeProvider.GetUtcNow(),
                    tool.Extractor
                )
            );
            var elapsed = _timeProvider.GetElapsedTime(started);
            var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
            CloneLog.Completed(
                _logger,
                donor.ToString(),
                trailer.Bytes,
                seconds,
                trailer.Bytes / 1e6 / seconds,
                entries,
                DataDir
            );
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            RemoveStagingQuietly(staging);
            throw new CloneStepFailedException(
                $"writing the clone into {DataDir} failed: {e.Message}",
                donor
            );
        }
        catch
        {
            RemoveStagingQuietly(staging);
            throw;
        }
    }

    private static void RemoveStagingQuietly(string staging)
    {
        try
        {
            DataDirState.Delete(staging);
        }
        catch (IOException)
        {
            // The next attempt, or the next start, finds it and cleans it: staging is never booted.
        }
        catch (UnauthorizedAccessException) { }
    }
}
