using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Election;
using MysqlAgent.Identity;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent switchover [--to mysql-N]</c>: a planned change of primary, carried out by the primary's agent.</summary>
public sealed class SwitchoverCommand : IAgentCommand
{
    public string Name => "switchover";

    public string Summary =>
        "Ask the primary's agent to hand the primary role to a replica (--to mysql-N, else the most advanced) and wait for it.";

    public IEnumerable<string> Validate(AgentOptions options)
    {
        foreach (var problem in ElectionRegistration.ValidateLeaseCommand(Name, options))
        {
            yield return problem;
        }

        if (options.SwitchoverTo is { } to)
        {
            if (
                !PodIdentity.TryParse(to, out var target, out _)
                || to.Contains('.', StringComparison.Ordinal)
            )
            {
                yield return $"--to '{to}' is not a pod name such as {options.Pod.PeerPodName(1)}";
            }
            else if (target.StatefulSetName != options.Pod.StatefulSetName)
            {
                yield return $"--to '{to}' is not a pod of this set ({options.Pod.StatefulSetName})";
            }
        }
    }

    public async Task<int> RunAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
    {
        var time = TimeProvider.System;
        var logger = loggerFactory.CreateLogger("MysqlAgent.Election.Switchover");
        // The primary acts at its second step after the request (the followers see it at the
        // first), then waits at most its renew deadline for the target.
        var timings = options.ElectionTimings;
        var (holder, term) = await ElectionRegistration
            .WithStoreAsync(
                options,
                time,
                store =>
                    new SwitchoverClient(store, time, logger).RunAsync(
                        options.SwitchoverTo,
                        timings.LeaseDuration + timings.RenewDeadline + timings.RetryPeriod * 3,
                        cancellationToken
                    )
            )
            .ConfigureAwait(false);
        ElectionLog.SwitchoverConfirmed(logger, holder, term);
        return ExitCodes.Success;
    }
}
