using Microsoft.Extensions.Logging;

namespace MysqlAgent.Election;

/// <summary>
/// The operator's side of a planned switchover (<c>mysql-agent switchover</c>): writes the request
/// into the Lease (a compare-and-swap, like any operator write) and waits until the primary's agent
/// has handed the Lease over, or has dropped the request (aborted or refused).
/// </summary>
public sealed class SwitchoverClient
{
    private readonly ILeaseStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SwitchoverClient(ILeaseStore store, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Asks for the switchover; answers the new holder and its term.</summary>
    /// <exception cref="SwitchoverException">No primary to ask, the store did not answer, or the primary dropped the request.</exception>
    public async Task<(string Holder, long Term)> RunAsync(
        string? target,
        TimeSpan wait,
        CancellationToken cancellationToken
    ) =>
        await RunAsync(target, null, wait, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException(
            "a switchover without a holder condition always asks"
        );

    /// <summary>
    /// As <see cref="RunAsync(string?, TimeSpan, CancellationToken)"/>, but only while
    /// <paramref name="onlyFrom"/> holds the Lease (the request is written for that holder's term,
    /// in one compare-and-swap); null when another pod holds it, and nothing was asked.
    /// </summary>
    public async Task<(string Holder, long Term)?> RunAsync(
        string? target,
        string? onlyFrom,
        TimeSpan wait,
        CancellationToken cancellationToken
    )
    {
        var asked = await RequestAsync(target, onlyFrom, cancellationToken).ConfigureAwait(false);
        if (asked is null)
        {
            return null;
        }
        ElectionLog.SwitchoverRequested(
            _logger,
            asked.Holder,
            asked.Term,
            target ?? "the most advanced replica"
        );
        // Until the holder changed or the request is gone.
        var (done, after) = await Poll.UntilAsync<LeaseRecord?>(
                async ct =>
                {
                    var read = await _store.GetAsync(ct).ConfigureAwait(false);
                    return read.Outcome == LeaseOutcome.Ok ? read.Lease!.Record : asked;
                },
                r => r is null || r.Holder != asked.Holder || r.Switchover is null,
                TimeSpan.FromMilliseconds(200),
                wait,
                _time,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (!done)
        {
            throw new SwitchoverException(
                $"{asked.Holder} did not carry out the switchover within {wait.TotalSeconds:0} s; the request stays in the Lease for term {asked.Term}: check its agent's log"
            );
        }

        if (after is null || after.Holder == asked.Holder)
        {
            throw new SwitchoverException(
                $"{asked.Holder} dropped the switchover request (refused or aborted: see its agent's log, events 5021 and 5022); it is still the primary in term {asked.Term}"
            );
        }

        return (after.Holder, after.Term);
    }

    /// <summary>
    /// Writes the request, reading the Lease again when a renewal won the compare-and-swap (the
    /// primary writes every retry period, and a slow start of this command can take that long
    /// between its read and its write).
    /// </summary>
    private async Task<LeaseRecord?> RequestAsync(
        string? target,
        string? onlyFrom,
        CancellationToken cancellationToken
    )
    {
        var retry = CompareAndSwapRetry.Build<(LeaseRecord? Asked, string? Conflict)>(
            _time,
            attempt => attempt.Conflict is not null
        );
        var (asked, conflict) = await retry
            .ExecuteAsync(
                async ct => await TryRequestAsync(target, onlyFrom, ct).ConfigureAwait(false),
                cancellationToken
            )
            .ConfigureAwait(false);
        return conflict is null
            ? asked
            : throw new SwitchoverException(
                $"the Lease changed while the request was written, {CompareAndSwapRetry.Attempts} times ({conflict}); run the command again"
            );
    }

    private async Task<(LeaseRecord? Asked, string? Conflict)> TryRequestAsync(
        string? target,
        string? onlyFrom,
        CancellationToken cancellationToken
    )
    {
        var read = await _store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (read.Outcome != LeaseOutcome.Ok)
        {
            throw new SwitchoverException(
                $"cannot read the Lease ({read}); is the lease store right and reachable?"
            );
        }

        var current = read.Lease!.Record;
        if (!current.IsHeld)
        {
            throw new SwitchoverException(
                $"nobody holds the Lease (term {current.Term}): there is no primary to switch over from"
            );
        }

        if (onlyFrom is not null && current.Holder != onlyFrom)
        {
            return (null, null);
        }

        if (target == current.Holder)
        {
            throw new SwitchoverException($"{target} is the primary already (term {current.Term})");
        }

        var asked = current with { Switchover = new SwitchoverRequest(target, current.Term) };
        var write = await _store
            .ReplaceAsync(asked, read.Lease.Version, cancellationToken)
            .ConfigureAwait(false);
        return write.Outcome switch
        {
            LeaseOutcome.Ok => (asked, null),
            LeaseOutcome.Conflict => (null, write.ToString()),
            _ => throw new SwitchoverException(
                $"the request could not be written ({write}); is the lease store reachable?"
            ),
        };
    }
}
