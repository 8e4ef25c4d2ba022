using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Configuration;

namespace MysqlAgent.Commands;

/// <summary>
/// <c>mysql-agent restore --from ... (--backup ID | --latest | --to-time T | --to-gtid G) --data-dir EMPTY</c>:
/// <c>--backup</c> restores exactly that backup; the others a backup plus the archived binlogs after it.
/// </summary>
public sealed class RestoreCommand : IAgentCommand
{
    public string Name => "restore";

    public string Summary =>
        "Restore a backup from --from into an empty --data-dir (verified, extracted and prepared as a clone is), then replay the archived binlogs up to --to-time, --to-gtid or --latest.";

    public IEnumerable<string> Validate(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (StorageTarget.Check(options.RestoreFrom) is { } problem)
        {
            yield return problem.Replace("--target", "--from", StringComparison.Ordinal);
        }

        var choices =
            (options.RestoreBackupId is not null ? 1 : 0)
            + (options.RestoreLatest ? 1 : 0)
            + (options.RestoreToTime is not null ? 1 : 0)
            + (options.RestoreToGtid is not null ? 1 : 0);
        if (choices != 1)
        {
            yield return "give exactly one of --backup ID (see the backups command), --latest, --to-time T and --to-gtid G";
        }

        if (options.RestoreToGtid is { } gtid && !ParsesForAnyFlavour(gtid))
        {
            yield return $"--to-gtid '{gtid}' is not a GTID position: write it as domain-server-sequence (0-100-42) on MariaDB";
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
            if (options.RestoreBackupId is { } backupId)
            {
                await new RestoreFromStorage(
                    options,
                    storage,
                    TimeProvider.System,
                    loggerFactory.CreateLogger("MysqlAgent.Archive.RestoreFromStorage")
                )
                    .RunAsync(backupId, cancellationToken)
                    .ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await new PointInTimeRestore(
                options,
                storage,
                TimeProvider.System,
                loggerFactory.CreateLogger("MysqlAgent.Archive.PointInTimeRestore")
            )
                .RunAsync(options.RestoreToTime, options.RestoreToGtid, cancellationToken)
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    private static bool ParsesForAnyFlavour(string gtid)
    {
        foreach (
            var flavour in new[] { BinlogCoverage.MariaDbFlavour, BinlogCoverage.MysqlFlavour }
        )
        {
            try
            {
                if (!BinlogCoverage.Parse(flavour, gtid).IsEmpty)
                {
                    return true;
                }
            }
            catch (FormatException)
            {
                // Try the other flavour.
            }
        }

        return false;
    }
}
