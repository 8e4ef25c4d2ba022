using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Election;

namespace MysqlAgent.Commands;

/// <summary>
/// <c>mysql-agent pause</c> and <c>mysql-agent resume</c>: turn automatic failover off and on for
/// the whole set, through the Lease (<see cref="FailoverPause"/>), for maintenance that must not
/// move the primary.
/// </summary>
public sealed class PauseCommand(bool pause) : IAgentCommand
{
    public string Name => pause ? "pause" : "resume";

    public string Summary =>
        pause
            ? "Pause automatic failover for the set (switchover still works) until resume."
            : "Resume automatic failover after pause.";

    public IEnumerable<string> Validate(AgentOptions options) =>
        ElectionRegistration.ValidateLeaseCommand(Name, options);

    public async Task<int> RunAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
    {
        var time = TimeProvider.System;
        var (lease, changed) = await ElectionRegistration
            .WithStoreAsync(
                options,
                time,
                store => new FailoverPause(store, time).SetAsync(pause, cancellationToken)
            )
            .ConfigureAwait(false);
        ElectionLog.PauseSet(
            loggerFactory.CreateLogger("MysqlAgent.Election.Pause"),
            pause ? "paused" : "resumed",
            lease.Term,
            lease.Holder,
            changed ? "" : " already",
            pause
                ? "nobody takes the Lease if the primary stops renewing it; switchover still works; run resume to end it"
                : "a replica takes over when the primary stops renewing the Lease"
        );
        return ExitCodes.Success;
    }
}
