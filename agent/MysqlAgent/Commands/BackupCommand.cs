using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent backup --target ...</c>: one full hot backup of the local server into storage.</summary>
public sealed class BackupCommand : StorageCommand
{
    public override string Name => "backup";

    public override string Summary =>
        "Take a full hot backup of the local server into --target (a folder or S3); the manifest is written last.";

    protected override async Task<int> RunAsync(
        AgentOptions options,
        IBackupStorage storage,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var time = TimeProvider.System;
        var server = new LocalServer(options);
        var streamer = new BackupStreamer(
            options,
            new BackupToolSelector(
                options,
                server,
                loggerFactory.CreateLogger<BackupToolSelector>()
            ),
            new AgentMetrics(Prometheus.Metrics.NewCustomRegistry()),
            time,
            loggerFactory.CreateLogger<BackupStreamer>()
        );
        await new BackupToStorage(
            options,
            storage,
            streamer,
            server,
            time,
            loggerFactory.CreateLogger("MysqlAgent.Archive.BackupToStorage")
        )
            .RunAsync(cancellationToken)
            .ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
