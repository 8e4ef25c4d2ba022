using System.Globalization;
using System.Runtime.Versioning;
using CliWrap;
using CliWrap.Buffered;
using MysqlAgent.TestSupport;
using MysqlLocal.Kubelet;

namespace MysqlAgent.Tests.Local;

/// <summary>
/// <see cref="Signals.HasExited"/> on real processes started as <c>mysql-local</c> starts its
/// daemons: <c>sh</c> puts <c>setsid</c> in the background, which execs the program. While a
/// process is inside execve its command line reads empty; a check that reads it took a starting
/// Prometheus for a dead one (CI failed 'up --monitor' on it).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SignalsTests
{
    private const int Starts = 40;

    [Fact]
    public async Task A_process_between_its_execs_has_not_exited_and_a_killed_one_has()
    {
        for (var start = 0; start < Starts; start++)
        {
            var started = await Cli.Wrap("sh")
                .WithArguments([
                    "-c",
                    "setsid \"$@\" </dev/null >/dev/null 2>&1 & echo $!",
                    "sh",
                    "sleep",
                    "30",
                ])
                .ExecuteBufferedAsync();
            var pid = int.Parse(started.StandardOutput.Trim(), CultureInfo.InvariantCulture);
            try
            {
                // From the moment sh returns until sleep runs: every read in between says "not exited".
                while (
                    Signals.CommandLine(pid) is not { } line
                    || !line.StartsWith("sleep", StringComparison.Ordinal)
                )
                {
                    Assert.False(
                        Signals.HasExited(pid),
                        $"start {start}: pid {pid} taken for exited while it starts"
                    );
                }
            }
            finally
            {
                Assert.True(
                    Signals.KillIfRunning(pid, "sleep 30"),
                    $"start {start}: pid {pid} was not running to kill"
                );
            }

            await Eventually.UntilAsync(
                () => Signals.HasExited(pid),
                $"start {start}: pid {pid} has exited after SIGKILL"
            );
        }
    }

    [Fact]
    public void An_id_no_process_has_has_exited() => Assert.True(Signals.HasExited(int.MaxValue));
}
