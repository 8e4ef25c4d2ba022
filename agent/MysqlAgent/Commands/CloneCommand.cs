using Microsoft.Extensions.Logging;
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

    public Task<int> RunAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    ) => throw new NotSupportedException("clone is not implemented yet");
}
