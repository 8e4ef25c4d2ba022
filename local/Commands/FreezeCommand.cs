using System.Globalization;
using MysqlLocal.Failover;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>freeze POD</c> / <c>thaw POD</c>: SIGSTOP and SIGCONT to every process of a pod, the way a
/// hung node looks to its peers: its connections stay open and nothing answers.
/// </summary>
public static class FreezeCommand
{
    private static readonly PodFault Fault = new(
        "freeze",
        NeedsFailover: false,
        Apply: (store, ordinal, pod) =>
            $"froze {pod}: SIGSTOP to {Ids(PodFreezer.Freeze(store, ordinal))}; 'thaw {pod}' resumes them",
        Undo: (store, ordinal, pod) =>
            PodFreezer.Thaw(store, ordinal) is { Count: > 0 } resumed
                ? $"thawed {pod}: SIGCONT to {Ids(resumed)}"
                : $"{pod} had no process to resume"
    );

    public static Task<int> RunAsync(LocalCommandLine line, TextWriter output) =>
        PodFaultCommand.RunAsync(line, output, Fault);

    private static string Ids(IReadOnlyList<int> pids) =>
        (pids.Count == 1 ? "pid " : "pids ")
        + string.Join(", ", pids.Select(p => p.ToString(CultureInfo.InvariantCulture)));
}
