using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Verification;
using MysqlAgent.Configuration;
using MysqlAgent.Storage;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent verify --target ... [--backup ID] --data-dir EMPTY-SCRATCH</c>.</summary>
public sealed class VerifyCommand : StorageCommand
{
    public override string Name => "verify";

    public override string Summary =>
        "Restore a backup from --target (the newest, or --backup ID) into an empty scratch --data-dir, start a server on it, CHECK TABLE everything, record it as verified, delete the scratch.";

    protected override async Task<int> RunAsync(
        AgentOptions options,
        IBackupStorage storage,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
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
}
