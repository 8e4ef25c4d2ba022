using System.Globalization;
using System.Runtime.InteropServices;
using MysqlAgent.Common;
using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary><c>mysql-local kubelet</c>: the daemon <c>up</c> starts. SIGTERM or SIGINT stop every pod first.</summary>
public static class KubeletCommand
{
    public static async Task<int> RunAsync(LocalCommandLine line, TimeProvider time)
    {
        var paths = line.StatePaths();
        var store = new SetStore(paths);
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        AtomicFile.Write(
            paths.KubeletPidFile,
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
        );
        try
        {
            await using var kubelet = new Kubelet.Kubelet(store, time);
            await kubelet.RunAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(paths.KubeletPidFile);
        }

        return 0;

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
