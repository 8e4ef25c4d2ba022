using MysqlAgent.Configuration;

namespace MysqlAgent.Health;

/// <summary>
/// The one place that says whether this pod is the primary now: ordinal 0 without an election
/// (<c>--lease-store none</c>), else the election's answer, which only the election service writes.
/// Readiness, <c>/status</c>, the heartbeat writer and <c>mysql_agent_info</c> ask it each time.
/// </summary>
/// <remarks>
/// With an election a pod is the primary only while it holds the Lease, has promoted its mysqld in
/// that term, and its last renewal is younger than the renew deadline: a primary cut off from the
/// store stops calling itself primary (and being ready) at the deadline, even before it fenced.
/// </remarks>
public sealed class RoleProvider
{
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<string> _firstHolder = new(
        TaskCreationOptions.RunContinuationsAsynchronously
    );
    private bool _promoted;
    private long _freshUntil;
    private long? _leaseChangedAt;
    private LeaseHolder? _lease;
    private CandidateDocument? _candidate;
    private string? _blocked;

    public RoleProvider(AgentOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public bool ElectionEnabled => _options.LeaseStore.Enabled;

    /// <summary>Whether this pod is the primary: it takes writes and writes the heartbeat.</summary>
    public bool IsPrimary
    {
        get
        {
            if (!ElectionEnabled)
            {
                return HealthRoles.IsPrimary(_options);
            }

            lock (_lock)
            {
                return _promoted && _time.GetTimestamp() < _freshUntil;
            }
        }
    }

    public string Role => IsPrimary ? HealthRoles.Primary : HealthRoles.Replica;

    /// <summary>The latest Lease seen; null without an election or before the first read.</summary>
    public LeaseHolder? Lease
    {
        get
        {
            lock (_lock)
            {
                return _lease;
            }
        }
    }

    /// <summary>
    /// How long ago, on this agent's clock, the Lease last changed (the holder's last renewal that
    /// the election saw); null without an election or before the first read.
    /// </summary>
    public TimeSpan? SinceLeaseChanged
    {
        get
        {
            lock (_lock)
            {
                return _leaseChangedAt is { } at ? _time.GetElapsedTime(at) : null;
            }
        }
    }

    /// <summary>This pod's own candidate report, for peers; null without an election.</summary>
    public CandidateDocument? Candidate
    {
        get
        {
            lock (_lock)
            {
                return _candidate;
            }
        }
    }

    /// <summary>Why this pod must not be ready whatever its server shows (errant transactions); null when none.</summary>
    public string? NotReadyReason
    {
        get
        {
            lock (_lock)
            {
                return _blocked;
            }
        }
    }

    /// <summary>The view readiness decides on.</summary>
    public RoleView View => new(IsPrimary, NotReadyReason);

    /// <summary>The first holder the election saw (this pod's name when it holds the Lease).</summary>
    public Task<string> FirstHolderAsync(CancellationToken cancellationToken) =>
        _firstHolder.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// The election saw <paramref name="lease"/>; <paramref name="untilRenewDeadline"/> is set while
    /// this pod holds it; <paramref name="sinceChanged"/> is how long ago the record last changed.
    /// </summary>
    public void Observe(
        LeaseHolder? lease,
        TimeSpan? untilRenewDeadline,
        TimeSpan? sinceChanged = null
    )
    {
        lock (_lock)
        {
            _lease = lease;
            _leaseChangedAt = sinceChanged is { } since
                ? _time.GetTimestamp() - (long)(since.TotalSeconds * _time.TimestampFrequency)
                : null;
            _freshUntil =
                untilRenewDeadline is { } left && left > TimeSpan.Zero
                    ? _time.GetTimestamp() + (long)(left.TotalSeconds * _time.TimestampFrequency)
                    : 0;
        }

        if (lease is { IsHeld: true })
        {
            _firstHolder.TrySetResult(lease.Holder);
        }
    }

    public void SetPromoted(bool promoted)
    {
        lock (_lock)
        {
            _promoted = promoted;
        }
    }

    public void SetCandidate(CandidateDocument candidate)
    {
        lock (_lock)
        {
            _candidate = candidate;
        }
    }

    public void SetNotReadyReason(string? reason)
    {
        lock (_lock)
        {
            _blocked = reason;
        }
    }
}

/// <summary>What readiness needs of the role: primary or not, and a reason that overrides everything.</summary>
public sealed record RoleView(bool IsPrimary, string? NotReadyReason);
