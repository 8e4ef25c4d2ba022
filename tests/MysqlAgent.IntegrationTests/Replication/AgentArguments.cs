using System.Globalization;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>The command line of <c>mysql-agent serve</c> for one pod of a local replica set.</summary>
internal sealed record AgentArguments
{
    public const string ReplicationPassword = "repl-Secret'1";
    public const string BackupPassword = "backup-secret-2";

    public required int Ordinal { get; init; }
    public required string DataDir { get; init; }
    public required int MysqlPort { get; init; }
    public required string AdminPassword { get; init; }
    public required int PrimaryPort { get; init; }
    public string Mode { get; init; } = "auto";
    public string ReplicationPasswordValue { get; init; } = ReplicationPassword;
    public int HttpPort { get; init; } = FreePorts.Next();
    public int BackupPort { get; init; } = FreePorts.Next();

    /// <summary>More options, after the others (the TLS files, for example).</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];

    public static AgentArguments For(
        int ordinal,
        MariaDbServer local,
        MariaDbServer primary,
        string mode = "auto"
    ) =>
        new()
        {
            Ordinal = ordinal,
            DataDir = local.DataDir,
            MysqlPort = local.Port,
            AdminPassword = local.RootPassword,
            PrimaryPort = primary.Port,
            Mode = mode,
        };

    public IReadOnlyList<string> ToList() =>
        [
            "--hostname",
            string.Create(CultureInfo.InvariantCulture, $"mysql-{Ordinal}"),
            "--data-dir",
            DataDir,
            "--mysql-host",
            MariaDbServer.Host,
            "--mysql-port",
            Number(MysqlPort),
            "--admin-password",
            AdminPassword,
            "--replication-password",
            ReplicationPasswordValue,
            "--backup-password",
            BackupPassword,
            "--backup-token",
            "test-token",
            "--http-port",
            Number(HttpPort),
            "--backup-port",
            Number(BackupPort),
            "--bind-address",
            MariaDbServer.Host,
            "--connect-to",
            $"mysql-0.mysql:3306:{MariaDbServer.Host}:{Number(PrimaryPort)}",
            "--connect-retry-seconds",
            "1",
            "--replication-mode",
            Mode,
            "--log-level",
            "Debug",
            .. Extra,
        ];

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
