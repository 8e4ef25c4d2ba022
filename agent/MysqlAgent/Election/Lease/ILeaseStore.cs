namespace MysqlAgent.Election;

/// <summary>
/// The one compare-and-swap object the agents elect through. Implementations answer every call
/// with a <see cref="LeaseResult"/>: an unreachable or failing store is
/// <see cref="LeaseOutcome.Unavailable"/>, never an exception, so that the elector can tell "someone
/// else wrote" (conflict) from "I do not know" (unavailable).
/// </summary>
public interface ILeaseStore
{
    /// <summary>Ok with the record and its version, NotFound, or Unavailable.</summary>
    Task<LeaseResult> GetAsync(CancellationToken cancellationToken);

    /// <summary>Ok with the new version, Conflict when a Lease exists, or Unavailable.</summary>
    Task<LeaseResult> CreateAsync(LeaseRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="record"/> only if the stored version is still
    /// <paramref name="expectedVersion"/>: Ok with the new version (every successful replace gives a
    /// new one), Conflict when the version moved on or the Lease is gone, or Unavailable.
    /// </summary>
    Task<LeaseResult> ReplaceAsync(
        LeaseRecord record,
        string expectedVersion,
        CancellationToken cancellationToken
    );
}
