using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Verification;
using MysqlAgent.Configuration;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent verify --target ... [--backup ID] --data-dir EMPTY-SCRATCH</c>.</summary>
public sealed class VerifyCommand : IAgentCommand
{
    public string Name => "verify";

    public string Summary =>
        "Restore a backup from --target (the newest, or --backup ID) into an empty scratch --data-dir, start a server on it, CHECK TABLE everything, record it as verified, delete the scratch.";

    public IEnumerable<string> Validate(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (StorageTarget.Check(options.StorageTarget) is { } problem)
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
        var storage = StorageTarget.Open(options);
        try
        {
            await new BackupVerifier(
                options,
                storage,
                TimeProvider.System,
                loggerFactory.CreateLogger("MysqlAgent.Archive.Verification.BackupVerifier")
            )
                .RunAsync(options.RestoreBackupId, cancellationToken)
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }
}
