using System.Diagnostics;
using System.Globalization;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>Processes by id through /proc: finding a container's child, and kill -9.</summary>
public static class Processes
{
    /// <summary>A running child of <paramref name="parentPid"/> whose command line contains <paramref name="name"/>.</summary>
    public static int? ChildNamed(int parentPid, string name)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (
                !int.TryParse(
                    Path.GetFileName(dir),
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var pid
                )
            )
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (
                    parent == parentPid
                    && fields[0] != "Z"
                    && File.ReadAllText(Path.Combine(dir, "cmdline"))
                        .Contains(name, StringComparison.Ordinal)
                )
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return null;
    }

    /// <summary>Running processes whose command line contains every one of <paramref name="parts"/>.</summary>
    public static IReadOnlyList<int> Matching(params string[] parts)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (
                !int.TryParse(
                    Path.GetFileName(dir),
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var pid
                )
            )
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (
                    parts.All(p => commandLine.Contains(p, StringComparison.Ordinal))
                    && IsAlive(pid)
                )
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return found;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL, as <c>kill -9</c>.</summary>
    public static void Kill9(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }
}
