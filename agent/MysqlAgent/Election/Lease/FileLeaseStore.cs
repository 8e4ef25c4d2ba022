using System.Globalization;
using System.Text.Json;
using MysqlAgent.Common;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MysqlAgent.Election;

/// <summary>
/// The Lease of the local replica set: one JSON file holding the record and a version counter,
/// written under an exclusive lock file by writing a temporary file, fsyncing it, renaming it over
/// the old one and fsyncing the folder, so a reader sees the old record or the new one, never half,
/// and a power cut cannot bring back an older version after a write was answered Ok.
/// </summary>
/// <remarks>
/// Readers take no lock (rename is atomic). Writers hold <c>lease.lock</c> with an advisory
/// exclusive lock (what .NET's <see cref="FileShare.None"/> takes on Linux) for the read-compare-write.
/// A lock that cannot be had within the call timeout is Unavailable, as a slow API server would be.
/// </remarks>
public sealed class FileLeaseStore : ILeaseStore
{
    public const string FileName = "lease.json";
    public const string LockFileName = "lease.lock";

    private readonly string _folder;
    private readonly string _path;
    private readonly string _lockPath;
    private readonly ResiliencePipeline _lockPipeline;

    public FileLeaseStore(string folder, TimeSpan callTimeout, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _folder = Path.GetFullPath(folder);
        _path = Path.Combine(_folder, FileName);
        _lockPath = Path.Combine(_folder, LockFileName);
        _lockPipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(callTimeout)
            .AddRetry(
                new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<IOException>(e =>
                        e is not FileNotFoundException and not DirectoryNotFoundException
                    ),
                    BackoffType = DelayBackoffType.Constant,
                    Delay = TimeSpan.FromMilliseconds(10),
                    MaxRetryAttempts = int.MaxValue,
                    UseJitter = true,
                }
            )
            .Build();
    }

    public Task<LeaseResult> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(
                Read() is { } document ? LeaseResult.Ok(ToLease(document)) : LeaseResult.NotFound
            );
        }
        catch (Exception e)
            when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return Task.FromResult(LeaseResult.Unavailable($"cannot read {_path}: {e.Message}"));
        }
    }

    public Task<LeaseResult> CreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WriteAsync(
            record,
            1,
            current => current is null ? null : "the Lease exists already",
            cancellationToken
        );
    }

    public Task<LeaseResult> ReplaceAsync(
        LeaseRecord record,
        string expectedVersion,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(record);
        if (
            !long.TryParse(
                expectedVersion,
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var expected
            )
        )
        {
            return Task.FromResult(
                LeaseResult.Conflict($"version '{expectedVersion}' is not one of this store's")
            );
        }

        return WriteAsync(
            record,
            expected + 1,
            current =>
                current is null ? "the Lease is gone"
                : current.Version != expected
                    ? string.Create(
                        CultureInfo.InvariantCulture,
                        $"version {expected} is stale, the Lease is at {current.Version}"
                    )
                : null,
            cancellationToken
        );
    }

    /// <summary>
    /// Writes <paramref name="record"/> as <paramref name="version"/> unless <paramref name="conflict"/>
    /// says why not. The new document is written and flushed before the lock is taken, so that the
    /// lock is held only to read the current version and rename: a holder frozen (SIGSTOP) while it
    /// writes then almost never freezes holding the lock, which would stop every other agent and an
    /// operator's command until it thaws.
    /// </summary>
    private async Task<LeaseResult> WriteAsync(
        LeaseRecord record,
        long version,
        Func<LeaseFileDocument?, string?> conflict,
        CancellationToken cancellationToken
    )
    {
        var document = Document(record, version);
        AtomicFile.Staged staged;
        try
        {
            Directory.CreateDirectory(_folder);
            staged = AtomicFile.Stage(
                _path,
                JsonSerializer.SerializeToUtf8Bytes(
                    document,
                    LeaseJsonContext.Default.LeaseFileDocument
                )
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return LeaseResult.Unavailable($"cannot write beside {_path}: {e.Message}");
        }

        using (staged)
        {
            var result = await UnderLockAsync(
                    () =>
                    {
                        if (conflict(Read()) is { } why)
                        {
                            return LeaseResult.Conflict(why);
                        }

                        staged.Commit();
                        return LeaseResult.Ok(ToLease(document));
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (result.Outcome == LeaseOutcome.Ok)
            {
                try
                {
                    staged.SyncFolder();
                }
                catch (IOException)
                {
                    // Renamed already: readers see it; only a power cut could still lose it.
                }
            }

            return result;
        }
    }

    private async Task<LeaseResult> UnderLockAsync(
        Func<LeaseResult> action,
        CancellationToken cancellationToken
    )
    {
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(_folder);
            lockFile = await _lockPipeline.ExecuteAsync(
                static (path, _) =>
                    ValueTask.FromResult(
                        new FileStream(
                            path,
                            FileMode.OpenOrCreate,
                            FileAccess.ReadWrite,
                            FileShare.None
                        )
                    ),
                _lockPath,
                cancellationToken
            );
        }
        catch (TimeoutRejectedException)
        {
            return LeaseResult.Unavailable($"{_lockPath} stayed locked past the call timeout");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return LeaseResult.Unavailable($"cannot lock {_lockPath}: {e.Message}");
        }

        await using (lockFile)
        {
            try
            {
                return action();
            }
            catch (Exception e)
                when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return LeaseResult.Unavailable($"cannot update {_path}: {e.Message}");
            }
        }
    }

    private LeaseFileDocument? Read()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(_path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, LeaseJsonContext.Default.LeaseFileDocument)
                ?? throw new FormatException($"{_path} holds null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{_path} is not a Lease document ({e.Message})", e);
        }
    }

    private static LeaseFileDocument Document(LeaseRecord record, long version) =>
        new(
            version,
            record.Holder,
            record.Term,
            record.RenewedAt,
            record.History.ToArray(),
            record.Switchover,
            record.Paused,
            record.Position
        );

    private static VersionedLease ToLease(LeaseFileDocument d) =>
        new(
            new LeaseRecord(d.Holder, d.Term, d.RenewedAt, d.History, d.Switchover, d.Paused)
            {
                Position = d.Position,
            },
            d.Version.ToString(CultureInfo.InvariantCulture)
        );
}
