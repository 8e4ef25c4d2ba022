using System.Text.RegularExpressions;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Lifecycle;

[Collection(OneSetAtATime.Name)]
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task Restarting_every_pod_clones_nothing_and_sets_up_replication_no_second_time()
    {
        var (set, _) = await LocalSets.UpAsync(output);
        await using (set)
        {
            var markers = new Dictionary<string, string>(StringComparer.Ordinal);
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pod in new[] { "mysql-1", "mysql-2" })
            {
                markers[pod] = await File.ReadAllTextAsync(
                    Path.Combine(set.PodDir(pod), "data", ".mysql-agent-clone-complete")
                );
            }

            // Every pod stops (kubelet and all) and starts again on its volume.
            await set.MustRunAsync("down", "--keep-data");
            Assert.Empty(Processes.Matching(set.StateDir + "/"));
            var up = await set.MustRunAsync("up");
            Assert.Contains("read back from mysql-2", up.StandardOutput, StringComparison.Ordinal);

            foreach (var pod in (await set.StatusAsync()).Where(p => p.Ordinal > 0))
            {
                var clone = set.Log(pod.Name, "clone");
                Assert.Equal(1, Regex.Count(clone, "clone complete from"));
                Assert.Contains("clone not needed", clone, StringComparison.Ordinal);
                Assert.Equal(
                    markers[pod.Name],
                    await File.ReadAllTextAsync(
                        Path.Combine(set.PodDir(pod.Name), "data", ".mysql-agent-clone-complete")
                    )
                );

                // The second agent found replication configured and left it alone.
                var agent = set.Log(pod.Name, "agent");
                Assert.Equal(1, Regex.Count(agent, "running CHANGE MASTER"));
                using var http = new HttpClient();
                var metrics = await http.GetStringAsync(
                    new Uri($"http://127.0.0.1:{pod.HttpPort}/metrics")
                );
                Assert.Contains(
                    "mysql_agent_replication_setup_attempts_total{result=\"already_configured\"} 1",
                    metrics,
                    StringComparison.Ordinal
                );
                Assert.DoesNotContain(
                    "mysql_agent_replication_setup_attempts_total{result=\"success\"}",
                    metrics,
                    StringComparison.Ordinal
                );

                await using var connection = await set.ConnectAsync(pod.Ordinal);
                var status = await Sql.SlaveStatusAsync(connection);
                Assert.Equal("Yes", status["Slave_IO_Running"]);
                Assert.Equal("Yes", status["Slave_SQL_Running"]);
                sources[pod.Name] = status["Master_Host"] + ":" + status["Master_Port"];
            }

            Assert.All(
                sources.Values,
                s => Assert.Equal($"127.0.0.1:{LocalSet.MysqlPort(set.BasePort, 0)}", s)
            );

            // delete-pod: init containers again, on the same data: still no clone and no setup.
            await set.MustRunAsync("delete-pod", "mysql-1");
            Assert.Equal(1, Regex.Count(set.Log("mysql-1", "clone"), "clone complete from"));
            Assert.Equal(1, Regex.Count(set.Log("mysql-1", "agent"), "running CHANGE MASTER"));
            Assert.Equal(3, Regex.Count(set.Log("mysql-1", "init"), "started container init"));
        }
    }
}
