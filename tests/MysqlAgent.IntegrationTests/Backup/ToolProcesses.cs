using System.Globalization;
using System.Text;

namespace MysqlAgent.IntegrationTests.Backup;

/// <summary>Backup tool processes of one test server, found through /proc by their command line.</summary>
internal static class ToolProcesses
{
    /// <summary>Pids whose command line holds <c>--backup</c> and <c>--port=&lt;port&gt;</c>.</summary>
    public static IReadOnlyList<int> ForServerPort(int port)
    {
        var portArgument = string.Create(CultureInfo.InvariantCulture, $"--port={port}");
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            var arguments = CommandLine(pid);
            if (arguments.Contains("--backup") && arguments.Contains(portArgument))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    public static string[] CommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllBytes($"/proc/{pid}/cmdline");
            return Encoding.UTF8.GetString(raw).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static string Environment(int pid)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Alive and not a zombie: a reaped process has no /proc entry at all.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static async Task<int> WaitForOneAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var pids = ForServerPort(port);
            if (pids.Count > 0)
            {
                return Assert.Single(pids);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no backup tool for port {port} appeared within {timeout}");
    }
}
