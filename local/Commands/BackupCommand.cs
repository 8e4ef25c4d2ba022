using CliWrap;
using MysqlLocal.Kubelet;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>backup [--pod POD]</c> and <c>backups</c>: the agent's own <c>mysql-agent backup</c> and
/// <c>backups</c> against the set's backup target, run as an operator runs them in a pod's agent
/// container. A backup is taken from the ready replica with the least lag (the primary only when
/// no replica is ready), so the primary's clients do not pay for it. The agent's output is passed on.
/// </summary>
public static class BackupCommand
{
    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var store = new SetStore(line.StatePaths());
        var desired = store.ReadDesired();
        if (desired.BackupTarget.Length == 0)
        {
            throw new LocalSetException(
                $"the set in {store.Paths.StateDir} has no backup target: run 'up --backup-target file:/path' (or s3://bucket), then 'delete-pod' each pod so that its agent takes it"
            );
        }

        ContainerSpec spec;
        if (line.Command == "backups")
        {
            spec = new ContainerSpec(
                "agent",
                desired.AgentBinary,
                ["backups", "--target=" + desired.BackupTarget, .. desired.AgentArguments],
                new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["HOSTNAME"] = SetPaths.PodName(0),
                }
            );
        }
        else
        {
            var ordinal = await ChooseAsync(line, store, desired, cancellationToken)
                .ConfigureAwait(false);
            await output
                .WriteLineAsync($"backing up {SetPaths.PodName(ordinal)} to {desired.BackupTarget}")
                .ConfigureAwait(false);
            spec = new PodTemplate(store.Paths, desired, ordinal).Backup();
        }

        var run = await Cli.Wrap(spec.Executable)
            .WithArguments(spec.Arguments)
            .WithEnvironmentVariables(spec.Environment)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(output.WriteLine))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Console.Error.WriteLine))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new LocalSetException(
                $"mysql-agent {spec.Arguments[0]} exited with {run.ExitCode} (its error is above)"
            );
        }

        return 0;
    }

    private static async Task<int> ChooseAsync(
        LocalCommandLine line,
        SetStore store,
        DesiredState desired,
        CancellationToken cancellationToken
    )
    {
        if (line.Value("pod") is { } pod)
        {
            var ordinal = DeletePodCommand.OrdinalOf(pod);
            return ordinal < desired.Replicas
                ? ordinal
                : throw new LocalSetException(
                    $"--pod {pod} is not in the set of {desired.Replicas} pods (see 'status')"
                );
        }

        using var http = new HttpClient();
        var rows = await new StatusReader(store, http)
            .ReadAsync(cancellationToken)
            .ConfigureAwait(false);
        return BackupSource.Choose(rows)
            ?? throw new LocalSetException(
                "no pod is ready to back up (see 'status'); give --pod to back up one anyway"
            );
    }
}
