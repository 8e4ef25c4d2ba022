using MysqlAgent.EndToEndTests.Harness;

namespace MysqlAgent.EndToEndTests.Lifecycle;

[Collection(OneSetAtATime.Name)]
public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact(Timeout = LocalSets.TestTimeout)]
    [Trait("Category", "Slow")]
    public async Task Scaling_3_to_5_clones_the_new_pods_from_replicas_under_a_steady_write_load()
    {
        var (set, _) = await LocalSets.UpAsync(output);
        await using (set)
        {
            await using var writer = await RowWriter.StartAsync(set);
            await writer.WaitForMoreAsync(50);

            // The clones run while rows keep arriving on the primary.
            var scale = await set.MustRunAsync("scale", "5");
            Assert.Contains(
                "mysql-4: Running, ready",
                scale.StandardOutput,
                StringComparison.Ordinal
            );
            await writer.WaitForMoreAsync(50);
            var acknowledged = await writer.StopAsync();
            Assert.Equal(0, writer.Errors);

            // New pods clone from their predecessor, a replica, never from the primary.
            Assert.Contains(
                "clone complete from mysql-2.mysql:3307",
                set.Log("mysql-3", "clone"),
                StringComparison.Ordinal
            );
            Assert.Contains(
                "clone complete from mysql-3.mysql:3307",
                set.Log("mysql-4", "clone"),
                StringComparison.Ordinal
            );

            var rows = await Consistency.WaitForSameRowsAsync(set, 5, RowWriter.Table);
            Assert.Equal(acknowledged.Count, rows);
            for (var ordinal = 0; ordinal < 5; ordinal++)
            {
                await Consistency.AssertHoldsAsync(set, ordinal, acknowledged, acknowledged[^1]);
            }

            // Scaling down removes the highest ordinals; their volumes stay, as PVCs do.
            var pids = (await set.StatusAsync())
                .Where(p => p.Ordinal >= 3)
                .Select(p => p.Pid("mysql")!.Value)
                .ToList();
            await set.MustRunAsync("scale", "3");
            Assert.Equal(
                ["mysql-0", "mysql-1", "mysql-2"],
                (await set.StatusAsync()).Select(p => p.Name)
            );
            Assert.All(pids, pid => Assert.False(Processes.IsAlive(pid)));
            Assert.True(Directory.Exists(Path.Combine(set.PodDir("mysql-4"), "data", "mysql")));
        }
    }
}
