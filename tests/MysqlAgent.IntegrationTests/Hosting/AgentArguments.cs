using System.Globalization;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Hosting;

/// <summary>The command line of <c>mysql-agent serve</c> for one pod of a local replica set.</summary>
public sealed record AgentArguments
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

    /// <summary>The primary as this agent's replicas connect to it (host:port), when not 127.0.0.1:<see cref="PrimaryPort"/>.</summary>
    public string? PrimaryAddress { get; init; }

    /// <summary>More options, appended last (for example <c>--heartbeat-interval 0</c>).</summary>
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

    /// <summary>The passwords and token, which the agent reads from its environment.</summary>
    public AgentSecrets Secrets =>
        new(AdminPassword, ReplicationPasswordValue, BackupPassword, "test-token");

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
            "--http-port",
            Number(HttpPort),
            "--backup-port",
            Number(BackupPort),
            "--bind-address",
            MariaDbServer.Host,
            "--connect-to",
            $"mysql-0.mysql:3306:{PrimaryAddress ?? $"{MariaDbServer.Host}:{Number(PrimaryPort)}"}",
            "--connect-retry-seconds",
            "1",
            "--replication-mode",
            Mode,
            "--log-level",
            "Debug",
            .. Extra,
        ];

    /// <summary>
    /// A minimal command line for an agent watching <paramref name="local"/> as pod
    /// <c>mysql-&lt;ordinal&gt;</c>, without a data folder or primary to set replication up from.
    /// </summary>
    public static WatchOnlyAgent WatchOnly(
        MariaDbServer local,
        int ordinal,
        int maxLagSeconds = 30,
        IReadOnlyList<string>? extra = null
    ) =>
        new(
            [
                "--hostname",
                string.Create(CultureInfo.InvariantCulture, $"mysql-{ordinal}"),
                "--mysql-host",
                MariaDbServer.Host,
                "--mysql-port",
                Number(local.Port),
                "--bind-address",
                "127.0.0.1",
                "--http-port",
                Number(FreePorts.Next()),
                "--backup-port",
                Number(FreePorts.Next()),
                "--max-lag-seconds",
                Number(maxLagSeconds),
                .. extra ?? [],
            ],
            new AgentSecrets(AdminPassword: local.RootPassword)
        );

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
