using MysqlAgent.Configuration;

namespace MysqlAgent.Health;

/// <summary>
/// The role names of metrics labels and <c>/status</c>, and the one place that decides which pod is
/// the primary: ordinal 0 today (no failover yet); the failover work replaces <see cref="IsPrimary"/>.
/// </summary>
public static class HealthRoles
{
    public const string Primary = "primary";
    public const string Replica = "replica";

    public static string Of(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return IsPrimary(options) ? Primary : Replica;
    }

    /// <summary>Whether this pod is the primary: it takes writes and writes the heartbeat.</summary>
    public static bool IsPrimary(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Pod.IsPrimary;
    }
}
