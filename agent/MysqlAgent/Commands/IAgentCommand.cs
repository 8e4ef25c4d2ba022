using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;

namespace MysqlAgent.Commands;

/// <summary>A subcommand of mysql-agent (serve, clone).</summary>
public interface IAgentCommand
{
    string Name { get; }

    string Summary { get; }

    /// <summary>Problems with the configuration for this command (a missing token, ...), one line each.</summary>
    IEnumerable<string> Validate(AgentOptions options);

    Task<int> RunAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    );
}
