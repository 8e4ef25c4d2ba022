using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Configuration;
using MysqlAgent.Storage;

namespace MysqlAgent.Commands;

/// <summary>
/// A command that works on the backup storage of <c>--target</c> (backup, backups, prune, verify):
/// the target is checked before anything runs, opened once and disposed however the command ends.
/// </summary>
public abstract class StorageCommand : IAgentCommand
{
    public abstract string Name { get; }

    public abstract string Summary { get; }

    public virtual IEnumerable<string> Validate(AgentOptions options)
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
            return await RunAsync(options, storage, loggerFactory, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    protected abstract Task<int> RunAsync(
        AgentOptions options,
        IBackupStorage storage,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    );
}
