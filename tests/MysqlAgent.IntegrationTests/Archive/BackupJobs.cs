using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>A full backup of the options' local server into a storage, as <c>mysql-agent backup</c> wires it.</summary>
internal static class BackupJobs
{
    public static BackupToStorage For(AgentOptions options, IBackupStorage storage)
    {
        var server = new LocalServer(options);
        var streamer = new BackupStreamer(
            options,
            new BackupToolSelector(options, server, NullLogger<BackupToolSelector>.Instance),
            new AgentMetrics(Prometheus.Metrics.NewCustomRegistry()),
            TimeProvider.System,
            NullLogger<BackupStreamer>.Instance
        );
        return new BackupToStorage(
            options,
            storage,
            streamer,
            server,
            TimeProvider.System,
            NullLogger.Instance
        );
    }
}
