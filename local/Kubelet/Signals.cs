using System.Diagnostics;
using System.Globalization;
using CliWrap;

namespace MysqlLocal.Kubelet;

/// <summary>Signals to processes by id, checked against <c>/proc</c> so a reused id is never hit.</summary>
public static class Signals
{
    /// <summary>Sends a signal (TERM, KILL…) through kill(1); a process already gone is no error.</summary>
    public static void Send(int pid, string signal) =>
        _ = Cli.Wrap("kill")
            .WithArguments(["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync();

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
