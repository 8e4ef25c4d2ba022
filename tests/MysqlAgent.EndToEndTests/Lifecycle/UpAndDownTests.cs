using System.Text.RegularExpressions;
using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Lifecycle;

[Collection(OneSetAtATime.Name)]
public sealed class UpAndDownTests(ITestOutputHelper output)
{
    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task Up_starts_three_pods_in_order_replicating_from_mysql_0_and_down_leaves_no_process()
    {
        var (set, up) = await LocalSets.UpAsync(output);
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
            // On the default, failover: mysql-0 creates the Lease on its fresh datadir and wins it.
            Assert.Contains(
                "wrote through mysql-primary (mysql-0)",
                up.StandardOutput,
                StringComparison.Ordinal
            );
            Assert.Contains("read back from mysql-1", up.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("read back from mysql-2", up.StandardOutput, StringComparison.Ordinal);
            Assert.Contains(
                "read back through mysql-read",
                up.StandardOutput,
                StringComparison.Ordinal
            );

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

            // mysql-read spreads new connections over the ready pods, as the Service does.
            var readFrom = new HashSet<int>();
            for (var i = 0; i < 6; i++)
            {
                await using var reader = await set.ConnectReadAsync();
                readFrom.Add(await Sql.ScalarAsync<int>(reader, "SELECT @@server_id"));
            }

            Assert.Equal([100, 101, 102], readFrom.Order());

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

    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task Up_with_tls_clones_over_HTTPS_and_replicates_over_verified_SSL()
    {
        var (set, up) = await LocalSets.UpAsync(output, extraArguments: ["--tls"]);
        await using (set)
        {
            Assert.Contains("read back from mysql-2", up.StandardOutput, StringComparison.Ordinal);
            foreach (var file in new[] { "ca.crt", "tls.crt", "tls.key" })
            {
                Assert.True(File.Exists(Path.Combine(set.StateDir, "tls", file)), file);
            }

            for (var ordinal = 0; ordinal < 3; ordinal++)
            {
                Assert.Contains(
                    "serves HTTPS only",
                    set.Log($"mysql-{ordinal}", "agent"),
                    StringComparison.Ordinal
                );
            }

            // The clones verified their donors' certificates: they completed over HTTPS.
            Assert.Contains(
                "clone complete",
                set.Log("mysql-2", "clone"),
                StringComparison.Ordinal
            );
            for (var ordinal = 1; ordinal < 3; ordinal++)
            {
                await using var connection = await set.ConnectAsync(ordinal);
                var status = await Sql.SlaveStatusAsync(connection);
                Assert.Equal("Yes", status["Master_SSL_Allowed"]);
                Assert.Equal("Yes", status["Master_SSL_Verify_Server_Cert"]);
                Assert.Equal("Yes", status["Slave_IO_Running"]);
            }
        }
    }

    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task Bad_input_gets_one_line_naming_it_and_a_distinct_exit_code()
    {
        var (set, _) = await LocalSets.UpAsync(output, replicas: 1);
        await using (set)
        {
            await AssertRefusedAsync(set, 2, "scale needs one number of pods", "scale", "many");
            await AssertRefusedAsync(set, 2, "'mysql'", "delete-pod", "mysql");
            await AssertRefusedAsync(
                set,
                3,
                "mysql-7 is not in the set of 1 pods",
                "delete-pod",
                "mysql-7"
            );
            await AssertRefusedAsync(set, 2, "unknown option --colour", "status", "--colour");
            await AssertRefusedAsync(
                set,
                2,
                "--failover and --fixed-primary contradict each other",
                "up",
                "--failover",
                "--fixed-primary"
            );
            await AssertRefusedAsync(
                set,
                3,
                "was made with failover, and only a new set can have a fixed primary: run 'down'",
                "up",
                "--fixed-primary"
            );
        }

        await AssertRefusedAsync(set, 3, "run 'up' first", "status");
    }

    /// <summary>The command fails with <paramref name="exitCode"/> and a stderr line naming the problem.</summary>
    private static async Task AssertRefusedAsync(
        LocalSet set,
        int exitCode,
        string message,
        params string[] arguments
    )
    {
        var result = await set.RunAsync(arguments);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }
}
