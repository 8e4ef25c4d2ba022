using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Configuration;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent restore --from ... (--backup ID | --latest) --data-dir EMPTY</c>.</summary>
public sealed class RestoreCommand : IAgentCommand
{
    public string Name => "restore";

    public string Summary =>
        "Restore a backup from --from into an empty --data-dir: verified, extracted and prepared as a clone is.";

    public IEnumerable<string> Validate(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (StorageTarget.Check(options.RestoreFrom) is { } problem)
        {
            yield return problem.Replace("--target", "--from", StringComparison.Ordinal);
        }

        if (options.RestoreLatest == (options.RestoreBackupId is not null))
        {
            yield return "give exactly one of --backup ID (see the backups command) and --latest";
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
        var storage = StorageTarget.Open(options with { StorageTarget = options.RestoreFrom });
        try
        {
            await new RestoreFromStorage(
                options,
                storage,
                TimeProvider.System,
                loggerFactory.CreateLogger("MysqlAgent.Archive.RestoreFromStorage")
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
