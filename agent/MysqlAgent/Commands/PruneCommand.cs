using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Retention;
using MysqlAgent.Configuration;
using MysqlAgent.Storage;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent prune --target ... [--keep-backups N] [--keep-days D] [--plan-only]</c>.</summary>
public sealed class PruneCommand : StorageCommand
{
    public override string Name => "prune";

    public override string Summary =>
        "Delete the backups in --target beyond both --keep-backups and --keep-days, and the archived binlogs no kept backup needs.";

    protected override async Task<int> RunAsync(
        AgentOptions options,
        IBackupStorage storage,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
    {
        var pruner = new ArchivePruner(
            storage,
            loggerFactory.CreateLogger("MysqlAgent.Archive.Retention.ArchivePruner")
        );
        var plan = await pruner
            .PlanAsync(
                TimeProvider.System.GetUtcNow(),
                options.KeepBackups,
                options.KeepAge,
                cancellationToken
            )
            .ConfigureAwait(false);
        var stdout = Console.Out;
        await stdout.WriteLineAsync(Format(plan, options.PlanOnly)).ConfigureAwait(false);
        if (!options.PlanOnly)
        {
            await pruner
                .ApplyAsync(plan, options.KeepBackups, options.KeepAge, cancellationToken)
                .ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>One line per deleted object and one for what stays.</summary>
    public static string Format(RetentionPlan plan, bool planOnly)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var verb = planOnly ? "would delete" : "deleting";
        var lines = new List<string>();
        lines.AddRange(
            plan.DeletedBackups.Select(b =>
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{verb} backup {b.Id}  finished {b.FinishedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}"
                )
            )
        );
        lines.AddRange(
            plan.DeletedBinlogs.Select(b =>
                $"{verb} binlog {b.Id}  {b.File} of {b.Pod}  gtid {b.StartGtid} to {b.EndGtid}"
            )
        );
        lines.Add(
            string.Create(
                CultureInfo.InvariantCulture,
                $"keeping {plan.Kept.Count} backups{(plan.Kept.Count > 0 ? ", the oldest " + plan.Kept[0].Id : "")}"
            )
        );
        if (plan.BinlogsKeptBecause is { } reason)
        {
            lines.Add("keeping every archived binlog: " + reason);
        }

        return string.Join(Environment.NewLine, lines);
    }
}
