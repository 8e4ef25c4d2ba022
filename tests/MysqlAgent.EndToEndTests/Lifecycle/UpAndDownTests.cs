using System.Text.RegularExpressions;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Lifecycle;

[Collection(OneSetAtATime.Name)]
public sealed class UpAndDownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Up_starts_three_pods_in_order_replicating_from_mysql_0_and_down_leaves_no_process()
    {
        var (set, up) = await LocalSet.UpAsync(output);
        IReadOnlyList<int> pids;
        await using (set)
        {
            // In the StatefulSet's order: each pod starts after the one before it is ready.
            var order = Regex
                .Matches(up.StandardOutput, @"(mysql-\d): Running, ready")
                .Select(m => m.Groups[1].Value)
                .Distinct()
                .ToList();
            Assert.Equal(["mysql-0", "mysql-1", "mysql-2"], order);
            Assert.Contains("wrote through mysql-0", up.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("read back from mysql-1", up.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("read back from mysql-2", up.StandardOutput, StringComparison.Ordinal);

            var pods = await set.StatusAsync();
            Assert.Equal(["mysql-0", "mysql-1", "mysql-2"], pods.Select(p => p.Name));
            Assert.All(pods, p => Assert.True(p.Ready, $"{p.Name} ready"));
            Assert.Equal(["primary", "replica", "replica"], pods.Select(p => p.Role));

            // Replicas clone from the previous ordinal, and replicate from mysql-0 under its stable name.
            Assert.Contains(
                "mysql-0.mysql:3307",
                set.Log("mysql-1", "clone"),
                StringComparison.Ordinal
            );
            Assert.Contains(
                "mysql-1.mysql:3307",
                set.Log("mysql-2", "clone"),
                StringComparison.Ordinal
            );
            for (var ordinal = 0; ordinal < 3; ordinal++)
            {
                await using var connection = await set.ConnectAsync(ordinal);
                Assert.Equal(
                    100 + ordinal,
                    await Sql.ScalarAsync<int>(connection, "SELECT @@server_id")
                );
                if (ordinal > 0)
                {
                    var status = await Sql.SlaveStatusAsync(connection);
                    Assert.Equal(
                        LocalSet
                            .MysqlPort(set.BasePort, 0)
                            .ToString(System.Globalization.CultureInfo.InvariantCulture),
                        status["Master_Port"]
                    );
                    Assert.Equal("Yes", status["Slave_IO_Running"]);
                    Assert.Equal("Yes", status["Slave_SQL_Running"]);
                    Assert.Equal("Slave_Pos", status["Using_Gtid"]);
                }
            }

            // up twice is safe: the same kubelet, the same pods.
            var again = await set.MustRunAsync("up");
            Assert.Contains("is running", again.StandardOutput, StringComparison.Ordinal);
            var podsAgain = await set.StatusAsync();
            Assert.Equal(pods.Select(p => p.Pid("mysql")), podsAgain.Select(p => p.Pid("mysql")));

            pids = podsAgain
                .SelectMany(p => new[] { p.Pid("mysql"), p.Pid("agent") })
                .Select(p => p!.Value)
                .ToList();
            Assert.All(pids, pid => Assert.True(Processes.IsAlive(pid)));
        }

        // Disposing ran 'down': every process is gone and the folder too.
        Assert.All(
            pids,
            pid => Assert.False(Processes.IsAlive(pid), $"process {pid} still runs after down")
        );
        Assert.Empty(Processes.Matching(set.StateDir + "/"));
        Assert.False(Directory.Exists(set.StateDir));
    }

    [Fact]
    public async Task Bad_input_gets_one_line_naming_it_and_a_distinct_exit_code()
    {
        var (set, _) = await LocalSet.UpAsync(output, replicas: 1);
        await using (set)
        {
            var scale = await set.RunAsync("scale", "many");
            Assert.Equal(2, scale.ExitCode);
            Assert.Contains(
                "scale needs one number of pods",
                scale.StandardError,
                StringComparison.Ordinal
            );

            var pod = await set.RunAsync("delete-pod", "mysql");
            Assert.Equal(2, pod.ExitCode);
            Assert.Contains("'mysql'", pod.StandardError, StringComparison.Ordinal);

            var absent = await set.RunAsync("delete-pod", "mysql-7");
            Assert.Equal(3, absent.ExitCode);
            Assert.Contains(
                "mysql-7 is not in the set of 1 pods",
                absent.StandardError,
                StringComparison.Ordinal
            );

            var option = await set.RunAsync("status", "--colour");
            Assert.Equal(2, option.ExitCode);
            Assert.Contains(
                "unknown option --colour",
                option.StandardError,
                StringComparison.Ordinal
            );
        }

        var gone = await set.RunAsync("status");
        Assert.Equal(3, gone.ExitCode);
        Assert.Contains("run 'up' first", gone.StandardError, StringComparison.Ordinal);
    }
}
