using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MysqlLocal.Kubelet;

/// <summary>Signals to processes by id, checked against <c>/proc</c> so a reused id is never hit.</summary>
public static partial class Signals
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>SIGTERM through kill(2), synchronously; a process already gone is no error.</summary>
    /// <returns>False when no such process runs (or it is not ours to signal).</returns>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    /// <summary>SIGSTOP: the process stops until <see cref="Continue"/>, as a hung node would.</summary>
    /// <returns>False when no such process runs (or it is not ours to signal).</returns>
    public static bool Stop(int pid) => Kill(pid, SigStop) == 0;

    /// <summary>SIGCONT: a stopped process runs again; a running one is unaffected.</summary>
    public static bool Continue(int pid) => Kill(pid, SigCont) == 0;

    /// <summary>The processes and every process below them (children, grandchildren…), parents first.</summary>
    public static IReadOnlyList<int> WithDescendants(IEnumerable<int> roots)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (
                int.TryParse(
                    Path.GetFileName(dir),
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var pid
                ) && ParentOf(pid) is { } parent
            )
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    list = [];
                    children[parent] = list;
                }

                list.Add(pid);
            }
        }

        var result = new List<int>();
        var queue = new Queue<int>(roots);
        while (queue.TryDequeue(out var pid))
        {
            if (result.Contains(pid))
            {
                continue;
            }

            result.Add(pid);
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                queue.Enqueue(child);
            }
        }

        return result;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    /// <summary>The process's command line, or null when no such process runs.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText(
                    string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/cmdline")
                )
                .Replace('\0', ' ')
                .Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when no such process runs any more (gone, or a zombie). Unlike <see cref="IsRunning"/>
    /// it reads no command line, which is empty while the process is inside execve: a process just
    /// started through <c>sh</c> and <c>setsid</c> (two execs) is not taken for one that exited.
    /// </summary>
    public static bool HasExited(int pid) => IsZombie(pid);

    /// <summary>True when the process runs and its command line contains <paramref name="expected"/>.</summary>
    public static bool IsRunning(int pid, string expected) =>
        CommandLine(pid) is { } commandLine
        && commandLine.Contains(expected, StringComparison.Ordinal)
        && !IsZombie(pid);

    /// <summary>SIGKILL to the process when it is still the one we started; returns whether it was killed.</summary>
    public static bool KillIfRunning(int pid, string expected)
    {
        if (!IsRunning(pid, expected))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            return true;
        }
        catch (ArgumentException)
        {
            return false; // Gone in between.
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int? ParentOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(
                string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat")
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // Gone while we looked.
        }

        // "pid (name) state ppid ...": the name may hold spaces and parentheses, so count from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 1)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return
            fields.Length > 1
            && int.TryParse(
                fields[1],
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var parent
            )
            ? parent
            : null;
    }

    /// <summary>True when the process is stopped (SIGSTOP): state T in /proc.</summary>
    public static bool IsStopped(int pid) => State(pid) == 'T';

    private static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText(
                string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat")
            );
            var afterName = stat[(stat.LastIndexOf(')') + 1)..].TrimStart();
            return afterName.Length > 0 ? afterName[0] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText(
                string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat")
            );
            var afterName = stat[(stat.LastIndexOf(')') + 1)..].TrimStart();
            return afterName.StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
