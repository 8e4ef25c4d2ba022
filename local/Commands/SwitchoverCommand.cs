using MysqlLocal.Failover;
using MysqlLocal.State;
using Polly;
using Polly.Retry;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>switchover [--to POD]</c>: runs the agent's own <c>mysql-agent switchover</c> against the
/// set's Lease store (<see cref="AgentLeaseCommand"/>), as an operator would run it in a pod (or
/// as the primary's preStop hook does). The agent's output is printed as it comes.
/// </summary>
public static class SwitchoverCommand
{
    /// <summary>The agent's advice when its request lost the compare-and-swap to a renewal (MysqlAgent.Election.SwitchoverClient).</summary>
    private const string RunAgain = "run the command again";

    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var (store, desired) = AgentLeaseCommand.FailoverSet(line.StatePaths());
        var to = line.Value("to");
        if (to is not null && DeletePodCommand.OrdinalOf(to) >= desired.Replicas)
        {
            throw new LocalSetException(
                $"--to {to} is not in the set of {desired.Replicas} pods (see 'status')"
            );
        }

        string[] command = ["switchover", .. (to is null ? Array.Empty<string>() : ["--to", to])];
        // The request is a compare-and-swap on the Lease, which the primary renews every retry
        // period: when the renewal wins the race, the agent says to run it again, and so we do.
        var retry = new ResiliencePipelineBuilder<(int ExitCode, bool Again)>
        {
            TimeProvider = time,
        }
            .AddRetry(
                new RetryStrategyOptions<(int ExitCode, bool Again)>
                {
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is null && args.Outcome.Result.Again
                        ),
                    MaxRetryAttempts = 4,
                    BackoffType = DelayBackoffType.Constant,
                    Delay = TimeSpan.FromMilliseconds(300),
                    UseJitter = true,
                }
            )
            .Build();
        var result = await retry
            .ExecuteAsync(
                async token =>
                {
                    var again = false;
                    var exitCode = await AgentLeaseCommand
                        .RunAsync(
                            store,
                            desired,
                            command,
                            text =>
                            {
                                again |= text.Contains(RunAgain, StringComparison.Ordinal);
                                output.WriteLine(text);
                            },
                            token
                        )
                        .ConfigureAwait(false);
                    return (ExitCode: exitCode, Again: exitCode != 0 && again);
                },
                cancellationToken
            )
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new LocalSetException(
                $"mysql-agent switchover exited with code {result.ExitCode}: see its message above, 'status' and 'logs <primary> agent'"
            );
        }

        return 0;
    }
}
