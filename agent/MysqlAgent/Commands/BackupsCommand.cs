using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Configuration;
using MysqlAgent.Storage;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent backups --target ...</c>: lists the backups in storage, read from their manifests only.</summary>
public sealed class BackupsCommand : StorageCommand
{
    public override string Name => "backups";

    public override string Summary =>
        "List the backups in --target, oldest first (a backup without its manifest is not listed).";

    protected override async Task<int> RunAsync(
        AgentOptions options,
        IBackupStorage storage,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var backups = await BackupCatalog
            .ListAsync(
                storage,
                loggerFactory.CreateLogger("MysqlAgent.Archive.BackupCatalog"),
                cancellationToken
            )
            .ConfigureAwait(false);
        var verified = new HashSet<string>(StringComparer.Ordinal);
        await foreach (
            var stored in storage
                .ListAsync(BackupKeys.Root, cancellationToken)
                .ConfigureAwait(false)
        )
        {
            if (BackupKeys.IdOfVerification(stored.Key) is { } id)
            {
                verified.Add(id);
            }
        }

        var stdout = Console.Out;
        await stdout.WriteLineAsync(Format(backups, verified)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>One line per backup: id, finish time, stored bytes, server, GTID after the backup, whether <c>verify</c> restored it.</summary>
    public static string Format(
        IReadOnlyList<BackupManifest> backups,
        IReadOnlySet<string> verified
    )
    {
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentNullException.ThrowIfNull(verified);
        if (backups.Count == 0)
        {
            return "no backups";
        }

        return string.Join(
            Environment.NewLine,
            backups.Select(b =>
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{b.Id}  {b.FinishedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}  {b.DataBytes} bytes  {b.Flavour} {b.ServerVersion}  gtid {b.GtidAfter ?? "-"}  {(verified.Contains(b.Id) ? "verified" : "never verified")}"
                )
            )
        );
    }
}
