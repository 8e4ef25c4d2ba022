using MysqlAgent.Configuration;

namespace MysqlAgent.Health;

/// <summary>
/// The role names of metrics labels and <c>/status</c>, and the rule without an election
/// (<c>--lease-store none</c>): ordinal 0 is the primary. Everything that needs the role now asks
/// <see cref="RoleProvider"/>, which follows the Lease when an election runs.
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
