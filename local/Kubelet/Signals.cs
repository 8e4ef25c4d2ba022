using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MysqlLocal.Kubelet;

/// <summary>Signals to processes by id, checked against <c>/proc</c> so a reused id is never hit.</summary>
public static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>SIGTERM through kill(2), synchronously; a process already gone is no error.</summary>
    /// <returns>False when no such process runs (or it is not ours to signal).</returns>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

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
