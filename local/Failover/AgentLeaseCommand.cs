using CliWrap;
using MysqlLocal.State;

namespace MysqlLocal.Failover;

/// <summary>
/// Runs one of the agent's own commands on the set's Lease (<c>switchover</c>, <c>pause</c>,
/// <c>resume</c>) as an operator would run it in a pod: the set's agent binary, as from inside
/// mysql-0 (the agent takes the set's name from HOSTNAME), against the set's file store and with
/// the agents' own extra arguments, so that shortened election timings apply to its waits too.
/// The agent's output is passed on as it comes.
/// </summary>
public static class AgentLeaseCommand
{
    /// <summary>The set's store, after checking that the set runs with failover.</summary>
    /// <exception cref="LocalSetException">The set runs without failover.</exception>
    public static (SetStore Store, DesiredState Desired) FailoverSet(SetPaths paths)
    {
        var store = new SetStore(paths);
        var desired = store.ReadDesired();
        if (!desired.Failover)
        {
            throw new LocalSetException(
                $"the set in {store.Paths.StateDir} was made with a fixed primary: its primary is always mysql-0 (failover is the default of a new set: 'down', then 'up')"
            );
        }

        return (store, desired);
    }

    /// <summary>Runs <c>mysql-agent</c> with <paramref name="command"/>; answers its exit code.</summary>
    public static async Task<int> RunAsync(
        SetStore store,
        DesiredState desired,
        IReadOnlyList<string> command,
        Action<string> stdout,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(desired);
        string[] arguments =
        [
            .. command,
            "--service=" + SetPaths.ServiceName,
            "--lease-store=file:" + store.Paths.LeaseDir,
            .. desired.AgentArguments,
        ];
        var run = await Cli.Wrap(desired.AgentBinary)
            .WithArguments(arguments)
            .WithEnvironmentVariables(env => env.Set("HOSTNAME", SetPaths.PodName(0)))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(stdout))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Console.Error.WriteLine))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);
        return run.ExitCode;
    }
}
