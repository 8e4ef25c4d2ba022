using Microsoft.Extensions.Logging;
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
        if (options.BackupToken is null && options.Pod.Ordinal > 0)
        {
            yield return "no backup token: set --backup-token-file (a file from the Secret) or MYSQL_AGENT_BACKUP_TOKEN";
        }
    }

    public async Task<int> RunAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
    {
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
}
