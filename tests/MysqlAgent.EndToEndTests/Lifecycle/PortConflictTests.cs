using System.Diagnostics;
using System.Globalization;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Lifecycle;

/// <summary>
/// Two local sets on one machine: a second one on the first one's ports is refused before any pod
/// starts, naming the port, its holder and the first set's folder; with --base-port auto both run.
/// </summary>
[Collection(OneSetAtATime.Name)]
[Trait("Category", "Slow")]
public sealed class PortConflictTests(ITestOutputHelper output)
{
    [Fact(Timeout = 900_000)]
    public async Task A_second_set_on_the_same_ports_is_refused_at_once_and_auto_runs_both_side_by_side()
    {
        var (first, _) = await LocalSets.UpAsync(output, replicas: 2);
        await using (first)
        {
            var before = await first.StatusAsync();
            await using var second = LocalSets.Unstarted(output, first.BasePort);

            var watch = Stopwatch.StartNew();
            var refused = await second.RunAsync(
                UpArguments(first.BasePort.ToString(CultureInfo.InvariantCulture))
            );
            output.WriteLine($"the second up was refused after {watch.ElapsedMilliseconds} ms");

            Assert.Equal(3, refused.ExitCode);
            var message = Assert.Single(
                refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            );
            var mysqlPort = LocalSet.MysqlPort(first.BasePort, 0);
            Assert.Contains(
                $"port {mysqlPort} (mysql-0 mysql) is taken by pid {before.Single(p => p.Name == "mysql-0").Pid("mysql")} (",
                message,
                StringComparison.Ordinal
            );
            Assert.Contains(
                $"a pod of the local set in {first.StateDir}",
                message,
                StringComparison.Ordinal
            );
            Assert.Contains("--base-port auto", message, StringComparison.Ordinal);
            // At once: it started nothing, so it waited for nothing.
            Assert.False(File.Exists(Path.Combine(second.StateDir, "kubelet.pid")));
            Assert.False(Directory.Exists(Path.Combine(second.StateDir, "pods")));

            // The first set is untouched: the same processes, every pod still ready.
            var after = await first.StatusAsync();
            Assert.All(after, p => Assert.True(p.Ready, $"{p.Name} ready"));
            Assert.Equal(
                before.Select(p => (p.Pid("mysql"), p.Pid("agent"))),
                after.Select(p => (p.Pid("mysql"), p.Pid("agent")))
            );

            // --base-port auto: a free block; both sets run side by side and pass the read-back check.
            var auto = await second.MustRunAsync(UpArguments("auto"));
            Assert.Contains("--base-port auto: ", auto.StandardOutput, StringComparison.Ordinal);
            Assert.Contains(
                "read back from mysql-1",
                auto.StandardOutput,
                StringComparison.Ordinal
            );
            var secondPods = await second.StatusAsync();
            Assert.All(secondPods, p => Assert.True(p.Ready, $"second set's {p.Name} ready"));
            Assert.Empty(
                secondPods.Select(p => p.MysqlPort).Intersect(after.Select(p => p.MysqlPort))
            );

            var again = await first.MustRunAsync("up");
            Assert.Contains(
                "read back from mysql-1",
                again.StandardOutput,
                StringComparison.Ordinal
            );
        }
    }

    private static string[] UpArguments(string basePort) =>
        [
            "up",
            "--replicas",
            "2",
            "--base-port",
            basePort,
            "--init-binary",
            Binaries.Init,
            "--agent-binary",
            Binaries.Agent,
            "--config-map-dir",
            Binaries.ConfigMapDir,
            "--agent-arg=--connect-retry-seconds=1",
        ];
}
