using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

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
                    .. more,
                ],
                new AgentSecrets().Environment
            )
        );
}
