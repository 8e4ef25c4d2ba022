using System.Diagnostics;
using System.Globalization;
using MysqlAgent.EndToEndTests.Harness;
using MysqlAgent.TestSupport.Failover;

namespace MysqlAgent.EndToEndTests.Failover;

/// <summary>
/// What an application sees of a frozen primary through the local set's mysql-primary: clients
/// with no read timeout, one opening a connection per request and one with a pool, get writes
/// acknowledged by the new primary while the old one is still frozen. Without the cut of the old
/// holder's connections at the term change they would wait on it until it thawed.
/// </summary>
[Collection(OneSetAtATime.Name)]
public sealed class ApplicationClientTests(ITestOutputHelper output)
{
    private const string User = "e2e_app";
    private const string Password = "e2e-app-3Rk8";

    [Fact(Timeout = FailoverTests.Patient)]
    [Trait("Category", "Slow")]
    public async Task Clients_without_a_read_timeout_write_again_through_the_new_primary_while_the_old_one_is_still_frozen()
    {
        await using var run = await FailoverRun.StartAsync(output);
        var set = run.Set;
        await using (var root = await set.ConnectAsync(0))
        {
            await ApplicationClient.PrepareAsync(root, User, Password);
        }

        var clock = Stopwatch.StartNew();
        await using var perRequest = ApplicationClient.Start(
            "per-request",
            set.PrimaryPort,
            User,
            Password,
            pooled: false,
            clock
        );
        await using var pooled = ApplicationClient.Start(
            "pooled",
            set.PrimaryPort,
            User,
            Password,
            pooled: true,
            clock
        );
        ApplicationClient[] clients = [perRequest, pooled];
        foreach (var client in clients)
        {
            await set.WaitUntilAsync(
                $"the {client.Name} client writes through mysql-primary",
                () => Task.FromResult(client.Acknowledged.Count >= 20)
            );
        }

        await set.MustRunAsync("freeze", "mysql-0");
        var frozenAt = clock.Elapsed;
        var next = await run.WaitForNewPrimaryAsync(run.First);
        await set.WaitUntilAsync(
            $"{next.Holder} records the fork point of term {next.Term} (promoted)",
            () => Task.FromResult(run.ForkPointRecorded(next.Term))
        );
        var promotedAt = clock.Elapsed;

        // mysql-0 stays frozen all along: only the new primary can acknowledge these.
        foreach (var client in clients)
        {
            await set.WaitUntilAsync(
                $"the {client.Name} client has a write acknowledged after the freeze, mysql-0 still frozen",
                () => Task.FromResult(client.FirstAfter(frozenAt) is not null)
            );
            var first = client.FirstAfter(frozenAt)!.Value;
            output.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{client.Name}: first write after the freeze {(first.At - frozenAt).TotalSeconds:0.00} s after it, {(first.At - promotedAt).TotalSeconds:+0.00;-0.00} s from the promotion seen; {client.Errors.Count} errors, the last: {string.Join(" | ", client.Errors.TakeLast(2))}"
                )
            );
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        // Every acknowledged write is on the new primary.
        var acknowledged = clients.SelectMany(c => c.Acknowledged).Select(w => w.Id).ToList();
        await using (var connection = await set.ConnectAsync(next.HolderOrdinal))
        {
            var present = await Sql.ScalarAsync<long>(
                connection,
                $"SELECT COUNT(*) FROM {ApplicationClient.Table} WHERE id IN ({string.Join(',', acknowledged)})"
            );
            Assert.Equal(acknowledged.Count, present);
        }

        await set.MustRunAsync("thaw", "mysql-0");
        await run.RejoinedOrErrantAsync(0, await run.FinishWritingAsync(FailoverRun.OthersThan(0)));
    }
}
