using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Identity;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Replication;
using MysqlAgent.Replication.Setup;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>The primary's side of a planned switchover (<c>mysql-agent switchover</c>).</summary>
public sealed partial class ElectionService
{
    /// <summary>
    /// A planned switchover, as the primary: read-only and kill client connections, wait until the
    /// target holds every transaction, hand it the Lease. A target that does not catch up within the
    /// time left before the renew deadline aborts it: the request is dropped and the next step
    /// makes this server writable again in the same term.
    /// </summary>
    private async Task SwitchOverAsync(
        LeaseRecord lease,
        SwitchoverRequest request,
        IReadOnlyList<CandidateStatus> peers,
        CancellationToken cancellationToken
    )
    {
        var target = request.To is { } to
            ? peers.FirstOrDefault(p => p.Name == to)
            : peers
                .Where(p => CandidateRules.Ineligibility(p, lease).Count == 0)
                .OrderByDescending(p => p.Priority)
                .ThenBy(p => p.Ordinal)
                .Aggregate(
                    (CandidateStatus?)null,
                    (best, p) =>
                        best is null
                        || GtidProgress.Compare(p.Progress!, best.Progress!) == ProgressOrder.Ahead
                            ? p
                            : best
                );
        var refusal =
            request.Term != lease.Term
                ? $"the request was for term {request.Term}, this is term {lease.Term}"
            : target is null
                ? $"{request.To ?? "no eligible replica"} did not answer as a candidate"
            : CandidateRules.Ineligibility(target, lease) is { Count: > 0 } reasons
                ? $"{target.Name} is not eligible: {string.Join(", ", reasons)}"
            : null;
        if (refusal is not null || target is null)
        {
            ElectionLog.SwitchoverRefused(_logger, refusal ?? "no target");
            _metrics.Switchovers.WithLabels("refused").Inc();
            await DropSwitchoverAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var started = _time.GetTimestamp();
        // Not primary first: no heartbeat starts after this, so none lands after the fence.
        SetPromoted(false);
        await _fence
            .FenceAsync($"switchover to {target.Name}", planned: true, cancellationToken)
            .ConfigureAwait(false);
        _local = await ReadLocalAsync(cancellationToken).ConfigureAwait(false);
        var own = CandidateReports
            .ToStatus(
                _options.Pod.PodName,
                _options.Pod.Ordinal,
                _local.ToDocument(false, lease.Term)
            )
            .Progress;
        ElectionLog.SwitchoverStarted(
            _logger,
            target.Name,
            lease.Term,
            own?.ToString() ?? "unknown"
        );

        var timings = _options.ElectionTimings;
        var budget = _elector.UntilRenewDeadline is { } left
            ? left - timings.RetryPeriod
            : TimeSpan.Zero;
        var caughtUp =
            own is not null
            && budget > TimeSpan.Zero
            && await CatchUpAsync(target, own, budget, cancellationToken).ConfigureAwait(false);
        if (!caughtUp)
        {
            ElectionLog.SwitchoverAborted(
                _logger,
                target.Name,
                $"it did not catch up within {Math.Max(0, budget.TotalSeconds):0.#} s",
                lease.Term
            );
            _metrics.Switchovers.WithLabels("aborted").Inc();
            await DropSwitchoverAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var handed = await _elector
            .HandOverAsync(target.Name, cancellationToken)
            .ConfigureAwait(false);
        Publish(handed);
        if (handed.Event == ElectionEvent.HandedOver)
        {
            _metrics.Switchovers.WithLabels("done").Inc();
            ElectionLog.SwitchedOver(
                _logger,
                target.Name,
                handed.Lease?.Term ?? lease.Term + 1,
                (long)_time.GetElapsedTime(started).TotalMilliseconds
            );
        }
    }

    /// <summary>Asks the target's /status until what it has applied holds <paramref name="own"/>.</summary>
    private async Task<bool> CatchUpAsync(
        CandidateStatus target,
        GtidProgress own,
        TimeSpan budget,
        CancellationToken cancellationToken
    )
    {
        return await Poll.UntilTrueAsync(
                async ct =>
                {
                    var answer = await _peers.ReadAsync([target.Ordinal], ct).ConfigureAwait(false);
                    return answer is [{ Applied: { } applied }] && applied.Contains(own);
                },
                budget,
                _time,
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    private async Task DropSwitchoverAsync(CancellationToken cancellationToken)
    {
        var dropped = await _elector
            .UpdateAnnotationsAsync(r => r with { Switchover = null }, cancellationToken)
            .ConfigureAwait(false);
        if (dropped.Outcome != LeaseOutcome.Ok)
        {
            ElectionLog.ActionFailed(
                _logger,
                "dropping the switchover request",
                dropped.ToString()
            );
        }

        Publish(null);
    }
}
