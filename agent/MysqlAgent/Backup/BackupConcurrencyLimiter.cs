using System.Diagnostics.CodeAnalysis;
using MysqlAgent.Configuration;

namespace MysqlAgent.Backup;

/// <summary>
/// At most <c>--max-concurrent-backups</c> backups at once, shared by <c>GET /backup</c> and the
/// legacy port. A request beyond it is refused at once (never queued: a queued receiver would hold
/// a connection open with nothing flowing, and the example's empty stream is what we replace).
/// </summary>
public sealed class BackupConcurrencyLimiter
{
    /// <summary>What a refused receiver is told to wait before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private int _active;

    public BackupConcurrencyLimiter(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Limit = Math.Max(1, options.MaxConcurrentBackups);
    }

    public int Limit { get; }

    public int Active => Volatile.Read(ref _active);

    /// <summary>Takes a slot; dispose the lease to give it back.</summary>
    public bool TryAcquire([NotNullWhen(true)] out IDisposable? lease)
    {
        while (true)
        {
            var active = Volatile.Read(ref _active);
            if (active >= Limit)
            {
                lease = null;
                return false;
            }

            if (Interlocked.CompareExchange(ref _active, active + 1, active) == active)
            {
                lease = new Lease(this);
                return true;
            }
        }
    }

    private sealed class Lease(BackupConcurrencyLimiter limiter) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref limiter._active);
            }
        }
    }
}
