using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;

namespace MysqlAgent.Election;

/// <summary>
/// <c>GET /prestop</c>, the preStop hook of both containers of a pod: a primary that is being
/// stopped (a rolling update, a drain, a scale-down) first hands its role to the most advanced
/// replica, so that writes pause for about a second instead of stopping for a lease duration; the
/// hook holds the containers until that is done. A replica answers at once. The two hooks of one
/// pod share one switchover.
/// </summary>
public sealed class PreStopSwitchover(
    AgentOptions options,
    ILeaseStore store,
    TimeProvider time,
    ILogger<PreStopSwitchover> logger
)
{
    private readonly Lock _gate = new();
    private Task<string>? _running;

    /// <summary>Hands over if this pod is the primary; answers what happened, in one line.</summary>
    public Task<string> RunAsync()
    {
        lock (_gate)
        {
            return _running ??= SwitchOverAsync();
        }
    }

    private async Task<string> SwitchOverAsync()
    {
        var timings = options.ElectionTimings;
        try
        {
            var moved = await new SwitchoverClient(store, time, logger)
                .RunAsync(
                    null,
                    options.Pod.PodName,
                    timings.LeaseDuration + timings.RenewDeadline + timings.RetryPeriod * 3,
                    CancellationToken.None
                )
                .ConfigureAwait(false);
            if (moved is not { } handed)
            {
                return "not the primary: nothing to hand over\n";
            }

            ElectionLog.SwitchoverConfirmed(logger, handed.Holder, handed.Term);
            return $"stopping: handed the primary role to {handed.Holder} in term {handed.Term}\n";
        }
        catch (SwitchoverException e)
        {
            // The pod stops anyway; the others fail over when its Lease expires.
            ElectionLog.PreStopSwitchoverFailed(logger, e.Message);
            return $"stopping without a switchover: {e.Message}\n";
        }
    }
}
