using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;
using MysqlAgent.Configuration;

namespace MysqlAgent.Backup;

/// <summary>
/// At most <c>--max-concurrent-backups</c> backups at once, shared by <c>GET /backup</c> and the
/// legacy port: .NET's <see cref="ConcurrencyLimiter"/> with no queue. A request beyond it is
/// refused at once (never queued: a queued receiver would hold a connection open with nothing
/// flowing, and the example's empty stream is what we replace).
/// </summary>
public sealed class BackupConcurrencyLimiter : IDisposable
{
    /// <summary>What a refused receiver is told to wait before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrencyLimiter _limiter;

    public BackupConcurrencyLimiter(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Limit = Math.Max(1, options.MaxConcurrentBackups);
        _limiter = new ConcurrencyLimiter(
            new ConcurrencyLimiterOptions { PermitLimit = Limit, QueueLimit = 0 }
        );
    }

    public int Limit { get; }

    public int Active => Limit - (int)(_limiter.GetStatistics()?.CurrentAvailablePermits ?? Limit);

    /// <summary>Takes a slot; dispose the lease to give it back.</summary>
    public bool TryAcquire([NotNullWhen(true)] out IDisposable? lease)
    {
        var attempt = _limiter.AttemptAcquire();
        if (attempt.IsAcquired)
        {
            lease = attempt;
            return true;
        }

        attempt.Dispose();
        lease = null;
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
