using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MysqlAgent.TestSupport;

/// <summary>
/// Every server this test run started and has not yet disposed. A test run that ends without
/// disposing them (a crash, a hung test cut off) must not leave <c>mariadbd</c> orphans behind:
/// they are killed on process exit, and a later run sweeps folders whose owner has died.
/// </summary>
internal static class RunningServers
{
    private static readonly ConcurrentDictionary<MariaDbServer, byte> Live = new();
    private static int _hooked;
    private static int _swept;

    public static string BaseFolder { get; } =
        Path.Combine(Path.GetTempPath(), "mysql-agent-tests");

    public const string OwnerFileName = "owner.pid";
    public const string PidFileName = "mariadbd.pid";

    public static void Add(MariaDbServer server)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }
        Live.TryAdd(server, 0);
    }

    public static void Remove(MariaDbServer server) => Live.TryRemove(server, out _);

    private static void KillAll()
    {
        foreach (var server in Live.Keys)
        {
            server.KillAndDeleteNow();
        }
    }

    /// <summary>Once per run: kill the servers of earlier runs that died, and delete their folders.</summary>
    public static void SweepOrphansOnce()
    {
        if (Interlocked.Exchange(ref _swept, 1) != 0 || !Directory.Exists(BaseFolder))
        {
            return;
        }
        foreach (var folder in Directory.EnumerateDirectories(BaseFolder))
        {
            var owner = ReadPid(Path.Combine(folder, OwnerFileName));
            if (owner is null || owner == Environment.ProcessId || IsAlive(owner.Value))
            {
                continue;
            }
            var server = ReadPid(Path.Combine(folder, PidFileName));
            if (server is not null && CommandLineMentions(server.Value, folder))
            {
                KillProcess(server.Value);
                WaitUntilGone(server.Value, TimeSpan.FromSeconds(5));
            }
            TryDeleteFolder(folder);
        }
    }

    public static void KillProcess(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            // No wait: on process exit there is no time for one, and the folder can go meanwhile.
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }
    }

    /// <summary>A dying server may still create files, so a first attempt can find the folder not empty.</summary>
    public static void TryDeleteFolder(string folder) =>
        Eventually.TryUntil(
            () =>
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                    return true;
                }
                catch (DirectoryNotFoundException)
                {
                    return true;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(2)
        );

    /// <summary>Gone, or a zombie: either way it holds no files any more.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return !stat.Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Blocking on purpose: process-exit handlers cannot await.</summary>
    public static void WaitUntilGone(int pid, TimeSpan timeout) =>
        Eventually.TryUntil(() => !IsAlive(pid), timeout);

    private static bool CommandLineMentions(int pid, string folder)
    {
        try
        {
            var cmdline = File.ReadAllText(
                $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline"
            );
            return cmdline.Contains(folder, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int? ReadPid(string file)
    {
        try
        {
            return int.TryParse(
                File.ReadAllText(file).Trim(),
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var pid
            )
                ? pid
                : null;
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
}
