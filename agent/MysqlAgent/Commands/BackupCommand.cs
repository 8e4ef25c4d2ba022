using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent backup --target ...</c>: one full hot backup of the local server into storage.</summary>
public sealed class BackupCommand : IAgentCommand
{
    public string Name => "backup";

    public string Summary =>
        "Take a full hot backup of the local server into --target (a folder or S3); the manifest is written last.";

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
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var storage = StorageTarget.Open(options);
        try
        {
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
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }
}
