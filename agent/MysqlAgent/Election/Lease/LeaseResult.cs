namespace MysqlAgent.Election;

public enum LeaseOutcome
{
    /// <summary>Done; <see cref="LeaseResult.Lease"/> holds the record and its new version.</summary>
    Ok,

    /// <summary>Get only: there is no Lease yet.</summary>
    NotFound,

    /// <summary>Create: the Lease exists already. Replace: the version moved on (or the Lease is gone).</summary>
    Conflict,

    /// <summary>The store did not answer in time or failed: nothing is known, nothing may be assumed.</summary>
    Unavailable,
}

/// <summary>A record with the store's opaque version (a resourceVersion, a file counter).</summary>
public sealed record VersionedLease(LeaseRecord Record, string Version);

/// <summary>The answer of an <see cref="ILeaseStore"/> call; never an exception for an expected failure.</summary>
public sealed record LeaseResult(LeaseOutcome Outcome, VersionedLease? Lease, string? Error)
{
    public static LeaseResult Ok(VersionedLease lease) => new(LeaseOutcome.Ok, lease, null);

    public static LeaseResult NotFound { get; } = new(LeaseOutcome.NotFound, null, null);

    public static LeaseResult Conflict(string why) => new(LeaseOutcome.Conflict, null, why);

    public static LeaseResult Unavailable(string why) => new(LeaseOutcome.Unavailable, null, why);

    public override string ToString() =>
        Outcome switch
        {
            LeaseOutcome.Ok =>
                $"ok (holder '{Lease!.Record.Holder}', term {Lease.Record.Term}, version {Lease.Version})",
            LeaseOutcome.NotFound => "not found",
            _ => $"{Outcome.ToString().ToLowerInvariant()}: {Error}",
        };
}
