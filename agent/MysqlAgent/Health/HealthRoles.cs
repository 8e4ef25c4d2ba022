using MysqlAgent.Configuration;

namespace MysqlAgent.Health;

/// <summary>The role names of metrics labels and <c>/status</c>; ordinal 0 is the primary (no failover yet).</summary>
public static class HealthRoles
{
    public const string Primary = "primary";
    public const string Replica = "replica";

    public static string Of(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Pod.IsPrimary ? Primary : Replica;
    }
}
