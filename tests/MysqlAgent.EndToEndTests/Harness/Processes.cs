using System.Diagnostics;
using System.Globalization;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>Processes by id through /proc: finding a container's child, and kill -9.</summary>
public static class Processes
{
    /// <summary>A running child of <paramref name="parentPid"/> whose command line contains <paramref name="name"/>.</summary>
    public static int? ChildNamed(int parentPid, string name) =>
        Running()
            .Where(p =>
                p.Parent == parentPid && p.CommandLine.Contains(name, StringComparison.Ordinal)
            )
            .Select(p => (int?)p.Pid)
            .FirstOrDefault();

    /// <summary>Running processes whose command line contains every one of <paramref name="parts"/>.</summary>
    public static IReadOnlyList<int> Matching(params string[] parts) =>
        Running()
            .Where(p => parts.All(part => p.CommandLine.Contains(part, StringComparison.Ordinal)))
            .Select(p => p.Pid)
            .ToList();

    public static bool IsAlive(int pid) => Read(pid) is not null;

    /// <summary>SIGKILL, as <c>kill -9</c>.</summary>
    public static void Kill9(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    private static IEnumerable<(int Pid, int Parent, string CommandLine)> Running()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (
                int.TryParse(
                    Path.GetFileName(dir),
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var pid
                ) && Read(pid) is { } process
            )
            {
                yield return process;
            }
        }
    }

    /// <summary>A process that runs (zombies do not), or null.</summary>
    private static (int Pid, int Parent, string CommandLine)? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] == "Z")
            {
                return null;
            }

            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return (pid, int.Parse(fields[1], CultureInfo.InvariantCulture), commandLine);
        }
        catch (IOException)
        {
            return null; // Gone while we looked.
        }
    }
}
