using CliWrap;
using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>switchover [--to POD]</c>: runs the agent's own <c>mysql-agent switchover</c> against the
/// set's Lease store, as an operator would run it in a pod (or as the primary's preStop hook
/// does). The agent's output is printed as it comes; its exit code is the command's.
/// </summary>
public static class SwitchoverCommand
{
    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var store = new SetStore(line.StatePaths());
        var desired = store.ReadDesired();
        if (!desired.Failover)
        {
            throw new LocalSetException(
                $"the set in {store.Paths.StateDir} runs without failover: its primary is always mysql-0 (make a set with 'up --failover')"
            );
        }

        var to = line.Value("to");
        if (to is not null && DeletePodCommand.OrdinalOf(to) >= desired.Replicas)
        {
            throw new LocalSetException(
                $"--to {to} is not in the set of {desired.Replicas} pods (see 'status')"
            );
        }

        // As from inside a pod of the set (the agent takes the set's name from HOSTNAME), with the
        // agents' own extra arguments, so that shortened election timings apply to its wait too.
        var result = await Cli.Wrap(desired.AgentBinary)
            .WithArguments([
                "switchover",
                .. (to is null ? Array.Empty<string>() : ["--to", to]),
                "--service=" + SetPaths.ServiceName,
                "--lease-store=file:" + store.Paths.LeaseDir,
                .. desired.AgentArguments,
            ])
            .WithEnvironmentVariables(env => env.Set("HOSTNAME", SetPaths.PodName(0)))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(output.WriteLine))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Console.Error.WriteLine))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken)
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
