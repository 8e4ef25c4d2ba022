using System.Diagnostics;

namespace MysqlAgent.Faults;

/// <summary>
/// Fault injection for crash-safety tests: when <c>MYSQL_AGENT_CRASH_AT</c> names a point (a comma
/// list), the process kills itself with SIGKILL there, as <c>kill -9</c> would. Unset in production.
/// </summary>
public static class CrashPoint
{
    public const string EnvironmentName = "MYSQL_AGENT_CRASH_AT";

    private static readonly HashSet<string> Armed = new(
        (Environment.GetEnvironmentVariable(EnvironmentName) ?? "").Split(
            ',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
        ),
        StringComparer.Ordinal
    );

    /// <summary>Runs first when a point is hit: the agent drains its asynchronous log queue here.</summary>
    public static Action? BeforeKill { get; set; }

    public static void Hit(string name)
    {
        if (Armed.Contains(name))
        {
            BeforeKill?.Invoke();
            Console.Error.WriteLine(
                $"mysql-agent: crash point '{name}' reached: killing myself with SIGKILL"
            );
            Console.Error.Flush();
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
    }
}
