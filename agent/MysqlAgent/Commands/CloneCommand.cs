using Microsoft.Extensions.Logging;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent clone</c>: the init container that fills an empty datadir from a donor.</summary>
public sealed class CloneCommand : IAgentCommand
{
    public string Name => "clone";

    public string Summary =>
        "Fill an empty datadir with a verified, prepared backup from a donor peer (init container).";

    public IEnumerable<string> Validate(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BackupToken is null && options.Pod.Ordinal > 0)
        {
            yield return "no backup token: set --backup-token-file (a file from the Secret) or MYSQL_AGENT_BACKUP_TOKEN";
        }

        if (options.RestoreFrom is null)
        {
            yield break;
        }

        if (options.Pod.Ordinal != 0)
        {
            yield return $"--from is for ordinal 0, which bootstraps a new set from a backup; {options.Pod.PodName} clones from its peers: remove --from from its clone container";
            yield break;
        }

        foreach (var problem in new RestoreCommand().Validate(options))
        {
            yield return problem;
        }
    }

    public async Task<int> RunAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (options.RestoreFrom is { } from && options.Pod.Ordinal == 0)
        {
            // A new set from a backup: ordinal 0 restores into its empty volume, once. A datadir
            // with data (a restart, a completed restore) is never restored over.
            var logger = loggerFactory.CreateLogger("MysqlAgent.Clone");
            var state = DataDirState.Inspect(options.DataDir);
            if (state.Kind is DataDirKind.Empty or DataDirKind.Partial)
            {
                if (state.Kind == DataDirKind.Partial)
                {
                    CloneLog.CleaningPartial(logger, state.Reason);
                    DataDirState.Clean(options.DataDir);
                }

                CloneLog.Restoring(logger, options.Pod.PodName, from, RestoreTargetText(options));
                return await new RestoreCommand()
                    .RunAsync(options, loggerFactory, cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        using var http = DonorClient.CreateHttpClient(options.Tls);
        var job = new CloneJob(
            options,
            loggerFactory.CreateLogger("MysqlAgent.Clone"),
            TimeProvider.System,
            http
        );
        await job.RunAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string RestoreTargetText(AgentOptions options) =>
        options switch
        {
            { RestoreBackupId: { } id } => "backup " + id,
            { RestoreToTime: { } time } => "to " + RestoreTarget.Format(time),
            { RestoreToGtid: { } gtid } => "to GTID " + gtid,
            _ => "latest",
        };
}
