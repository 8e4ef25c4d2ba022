namespace MysqlAgent.Clone;

/// <summary>The figures of clone's retries; tests shrink the delays.</summary>
public sealed record CloneRetryPolicy
{
    /// <summary>The first backoff; each next one doubles, with jitter.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A donor's Retry-After is honoured up to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Failures in a row of the default donor before the other peers are asked for a better one.</summary>
    public int AttemptsBeforeFallback { get; init; } = 3;

    /// <summary>How long a peer's /status may take before it counts as not answering.</summary>
    public TimeSpan StatusTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A donor that sends nothing for this long is treated as cut (a half-open connection).</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public static CloneRetryPolicy Default { get; } = new();
}
