using System.Runtime.InteropServices;

namespace MysqlAgent.Processes;

/// <summary>
/// Sends SIGTERM to a child the agent started: mysqld and mariadbd shut down cleanly on it (.NET's
/// <c>Process.Kill</c> only sends SIGKILL, CliWrap's graceful cancellation SIGINT).
/// </summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>True when the signal was delivered.</summary>
    public static bool Terminate(int processId) =>
        OperatingSystem.IsLinux() && Kill(processId, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
