namespace MysqlAgent.Election;

/// <summary>
/// The operator's pause of automatic failover (<c>mysql-agent pause</c> and <c>resume</c>): sets or
/// clears the Lease's <c>mysql-agent.io/paused</c> annotation in one compare-and-swap, read again
/// and retried when the primary's renewal wins the race (<see cref="CompareAndSwapRetry"/>). While
/// paused nobody takes an expired Lease; the holder keeps renewing, a planned switchover still
/// works, and a primary that cannot renew still fences itself.
/// </summary>
public sealed class FailoverPause(ILeaseStore store, TimeProvider time)
{
    /// <summary>Sets the pause to <paramref name="paused"/>.</summary>
    /// <returns>The Lease as it now is, and whether this call changed it (false: it said so already).</returns>
    /// <exception cref="PauseException">No Lease, the store did not answer, or every write lost the race.</exception>
    public async Task<(LeaseRecord Lease, bool Changed)> SetAsync(
        bool paused,
        CancellationToken cancellationToken
    )
    {
        var retry = CompareAndSwapRetry.Build<(LeaseRecord? Lease, bool Changed, string? Conflict)>(
            time,
            attempt => attempt.Conflict is not null
        );
        var (lease, changed, conflict) = await retry
            .ExecuteAsync(
                async ct => await TrySetAsync(paused, ct).ConfigureAwait(false),
                cancellationToken
            )
            .ConfigureAwait(false);
        return conflict is null
            ? (lease!, changed)
            : throw new PauseException(
                $"the Lease changed while it was written, {CompareAndSwapRetry.Attempts} times ({conflict}); run the command again"
            );
    }

    private async Task<(LeaseRecord? Lease, bool Changed, string? Conflict)> TrySetAsync(
        bool paused,
        CancellationToken cancellationToken
    )
    {
        var read = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (read.Outcome == LeaseOutcome.NotFound)
        {
            throw new PauseException(
                "there is no Lease yet: the set has not elected its first primary (is --lease-store the set's?)"
            );
        }

        if (read.Outcome != LeaseOutcome.Ok)
        {
            throw new PauseException(
                $"cannot read the Lease ({read}); is the lease store right and reachable?"
            );
        }

        var current = read.Lease!.Record;
        if (current.Paused == paused)
        {
            return (current, false, null);
        }

        var next = current with { Paused = paused };
        var write = await store
            .ReplaceAsync(next, read.Lease.Version, cancellationToken)
            .ConfigureAwait(false);
        return write.Outcome switch
        {
            LeaseOutcome.Ok => (next, true, null),
            LeaseOutcome.Conflict => (null, false, write.ToString()),
            _ => throw new PauseException(
                $"the Lease could not be written ({write}); is the lease store reachable?"
            ),
        };
    }
}
