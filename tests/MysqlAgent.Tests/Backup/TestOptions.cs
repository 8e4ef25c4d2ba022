using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Identity;

namespace MysqlAgent.Tests.Backup;

internal static class TestOptions
{
    public static AgentOptions Create(
        string? token = "s3cret-token",
        int maxConcurrentBackups = 1
    ) =>
        new()
        {
            Pod = new PodIdentity("mysql-0", "mysql", 0),
            Service = "mysql",
            ServerId = 100,
            DataDir = "/var/lib/mysql",
            LocalMysql = new Endpoint("127.0.0.1", 3306),
            AdminUser = "root",
            ReplicationUser = "repl",
            BackupUser = "backup",
            BackupPassword = new Secret("backup-pw", "test"),
            BackupToken = token is null ? null : new Secret(token, "test"),
            BackupPort = 3307,
            MaxConcurrentBackups = maxConcurrentBackups,
            BackupTool = BackupToolKind.MariaBackup,
            LegacyStreamPort = 0,
            CloneDeadline = TimeSpan.FromMinutes(10),
            Primary = new Endpoint("mysql-0.mysql", 3306),
            ConnectRetrySeconds = 10,
            ReplicationMode = ReplicationMode.Auto,
            MaxLag = TimeSpan.FromSeconds(30),
            HttpPort = 8080,
            BindAddress = "127.0.0.1",
            LogFormat = LogFormat.Text,
            LogLevel = LogLevel.Information,
            ConnectTo = ConnectToMap.Empty,
        };
}
