using System.Globalization;
using System.Text;
using MysqlAgent.TestSupport;

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

    /// <summary>Until the server's one backup tool runs; returns its pid.</summary>
    public static async Task<int> WaitForOneAsync(int port)
    {
        var pids = await Eventually.ValueAsync(
            () => Task.FromResult(ForServerPort(port)),
            found => found.Count > 0,
            $"a backup tool for port {port} runs"
        );
        return Assert.Single(pids);
    }
}
