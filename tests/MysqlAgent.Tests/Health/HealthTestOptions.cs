using MysqlAgent.Configuration;

namespace MysqlAgent.Tests.Health;

/// <summary>Options as the real parser builds them, for a pod of the given ordinal.</summary>
internal static class HealthTestOptions
{
    public static AgentOptions For(int ordinal, int maxLagSeconds = 30, params string[] more) =>
        AgentOptionsReader.Read(
            OptionValues.Parse(
                [
                    "--hostname",
                    $"mysql-{ordinal}",
                    "--max-lag-seconds",
                    maxLagSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--admin-password",
                    "admin-secret",
                    "--replication-password",
                    "repl-secret",
                    "--backup-password",
                    "backup-secret",
                    "--backup-token",
                    "token",
                    .. more,
                ],
                _ => null
            )
        );
}
