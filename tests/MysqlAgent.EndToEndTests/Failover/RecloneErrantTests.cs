using MysqlAgent.EndToEndTests.Harness;
using MysqlAgent.TestSupport;

namespace MysqlAgent.EndToEndTests.Failover;

/// <summary>
/// The default re-clone (<c>--reclone-errant</c>) on the local set: an old primary that comes back
/// with a transaction the new primary lacks deletes its own pod; the kubelet creates it again, its
/// clone container moves the datadir aside and clones from the new primary, and it follows it like
/// any replica.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class RecloneErrantTests(ITestOutputHelper output)
{
    [Fact(Timeout = FailoverTests.Patient)]
    [Trait("Category", "Slow")]
    public async Task An_errant_old_primary_keeps_its_datadir_aside_and_comes_back_as_a_fresh_clone_of_the_new_primary()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var (set, writer) = (run.Set, run.Writer);

        // Cut off, mysql-0 fences itself and another pod takes over.
        await set.MustRunAsync("isolate", "mysql-0");
        await set.WaitUntilAsync("the isolated mysql-0 is read-only", () => run.ReadOnlyAsync(0));
        var next = await run.WaitForNewPrimaryAsync(run.First);

        // The other replica follows the new primary: it holds a write acknowledged in the new term,
        // so it no longer fetches from mysql-0.
        await writer.WaitForMoreAsync(100);
        var other = FailoverRun.OthersThan(0).Single(o => o != next.HolderOrdinal);
        var last = writer.Acknowledged[^1].Id;
        await set.WaitUntilAsync(
            $"mysql-{other} follows {next.Holder}",
            () => run.HoldsAllAsync(other, [last])
        );

        // Meanwhile an administrator (SUPER passes read_only) writes on mysql-0: a transaction that
        // only it has, so it is errant whatever was in flight at the cut.
        await using (var connection = await set.ConnectAsync(0))
        {
            await Sql.ExecuteAsync(connection, "CREATE DATABASE only_on_the_old_primary");
        }

        await set.MustRunAsync("heal", "mysql-0");

        // Its agent finds the errant transaction, asks for the re-clone and deletes its pod.
        var dataDir = Path.Combine(set.PodDir("mysql-0"), "data");
        var aside = await Eventually.ValueAsync(
            () =>
                Task.FromResult(
                    Directory
                        .GetDirectories(set.PodDir("mysql-0"), "data.errant-*")
                        .SingleOrDefault()
                ),
            a => a is not null,
            "mysql-0's clone container moves its datadir aside",
            LocalSet.Patience
        );
        output.WriteLine($"the old datadir is kept at {aside}");

        var acknowledged = await run.FinishWritingAsync(FailoverRun.OthersThan(0));
        await set.WaitUntilAsync(
            "the re-cloned mysql-0 holds every acknowledged write",
            () => run.HoldsAllAsync(0, acknowledged)
        );
        await run.WaitUntilReadyAndNotErrantAsync(0);
        Assert.True(await run.ReadOnlyAsync(0));
        Assert.True(Directory.Exists(Path.Combine(aside!, "only_on_the_old_primary")));
        Assert.False(Directory.Exists(Path.Combine(dataDir, "only_on_the_old_primary")));
        Assert.Contains(
            "deleting mysql-0: its agent asked for it",
            File.ReadAllText(Path.Combine(set.StateDir, "kubelet.log")),
            StringComparison.Ordinal
        );
        Assert.Contains(
            "re-clone requested",
            set.Log("mysql-0", "clone"),
            StringComparison.Ordinal
        );
        Assert.Equal(next, set.LeaseFromFile());
        Assert.Empty(await run.StopSamplingAsync());
    }
}
