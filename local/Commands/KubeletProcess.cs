using System.Globalization;
using CliWrap;
using MysqlLocal.Kubelet;
using MysqlLocal.State;
using MysqlLocal.Waiting;

namespace MysqlLocal.Commands;

/// <summary>Starts the set's kubelet as a daemon (its own session, output in its log) and finds it again.</summary>
public static class KubeletProcess
{
    public const string CommandName = "kubelet";

    public static int? RunningPid(SetPaths paths)
    {
        try
        {
            var pid = int.Parse(
                File.ReadAllText(paths.KubeletPidFile).Trim(),
                CultureInfo.InvariantCulture
            );
            return Signals.IsRunning(pid, CommandName) ? pid : null;
        }
        catch (Exception e) when (e is IOException or FormatException or OverflowException)
        {
            return null;
        }
    }

    public static async Task<int> StartAsync(
        SetPaths paths,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        var self =
            Environment.ProcessPath
            ?? throw new LocalSetException("cannot tell where mysql-local runs from");
        string[] program =
            Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? [self, typeof(KubeletProcess).Assembly.Location]
                : [self];
        // setsid: Ctrl-C in the user's terminal must not reach the pods; '&': up returns while it runs.
        var script = "exec setsid \"$@\" </dev/null >>\"$KUBELET_OUT\" 2>&1 &";
        await Cli.Wrap("sh")
            .WithArguments([
                "-c",
                script,
                "sh",
                .. program,
                CommandName,
                "--state-dir",
                paths.StateDir,
            ])
            .WithEnvironmentVariables(env => env.Set("KUBELET_OUT", paths.KubeletLog))
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);

        var started = await new Waiter(time)
            .UntilAsync(
                _ => ValueTask.FromResult(RunningPid(paths)),
                pid => pid is not null,
                TimeSpan.FromMilliseconds(100),
                TimeSpan.FromSeconds(15),
                cancellationToken
            )
            .ConfigureAwait(false);
        return started.Last
            ?? throw new LocalSetException($"the kubelet did not start: see {paths.KubeletLog}");
    }
}
