using System.Reflection;

namespace MysqlInit;

internal static class VersionInfo
{
    /// <summary>The informational version without the source revision the SDK appends after '+'.</summary>
    public static string Text
    {
        get
        {
            var version =
                typeof(VersionInfo)
                    .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
                    ?.InformationalVersion
                ?? "unknown";
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            return $"mysql-init {(plus < 0 ? version : version[..plus])}";
        }
    }
}
