using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Configuration;
using MysqlAgent.Election;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Election;

/// <summary>
/// Reading the peers' candidate reports: a frozen peer is waited for once, for the whole time
/// limit, and not again until it answers, so that a failover does not wait for the frozen primary
/// at every step. The time limit runs on a fake clock that only the test moves: a read that waited
/// for the frozen peer again would never end.
/// </summary>
public sealed class PeerCandidatesTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_frozen_peer_is_waited_for_once_then_read_in_the_background_until_it_answers()
    {
        await using var frozen = await FakePeerStatusServer.StartAsync();
        await using var answering = await FakePeerStatusServer.StartAsync();
        var time = new FakeTimeProvider();
        using var http = new HttpClient();
        var peers = new PeerCandidates(Options(frozen, answering), http, time, Limit);
        frozen.Freeze();

        // The first read waits for mysql-0 until the limit, then leaves it out. (Alone: moving the
        // clock would also end a read of mysql-2 still on its way.)
        var first = peers.ReadAsync([0], CancellationToken.None);
        await Eventually.UntilAsync(() => frozen.Received == 1, "mysql-0 got the first read");
        Assert.False(first.IsCompleted);
        time.Advance(Limit);
        Assert.Empty(await first.WaitAsync(Guard));

        // Silent now: the next read asks it again but returns without the clock moving.
        Assert.Equal(["mysql-2"], Names(await peers.ReadAsync([0, 2], default).WaitAsync(Guard)));
        await Eventually.UntilAsync(() => frozen.Received == 2, "mysql-0 got a second read");

        // While that read is held, later reads neither wait for it nor ask again.
        Assert.Equal(["mysql-2"], Names(await peers.ReadAsync([0, 2], default).WaitAsync(Guard)));
        Assert.Equal(2, frozen.Received);

        // Thawed, it answers the held read and counts again.
        frozen.Thaw();
        await Eventually.UntilAsync(
            async () => Names(await peers.ReadAsync([0, 2], default)).Count == 2,
            "mysql-0 counts again once it answers"
        );
        Assert.Equal(
            ["mysql-0", "mysql-2"],
            Names(await peers.ReadAsync([0, 2], default).WaitAsync(Guard))
        );
    }

    [Fact]
    public async Task A_peer_that_answers_is_waited_for_at_every_read()
    {
        await using var slow = await FakePeerStatusServer.StartAsync();
        await using var other = await FakePeerStatusServer.StartAsync();
        var time = new FakeTimeProvider();
        using var http = new HttpClient();
        var peers = new PeerCandidates(Options(slow, other), http, time, Limit);

        Assert.Equal(["mysql-0", "mysql-2"], Names(await peers.ReadAsync([0, 2], default)));

        // Held but within the limit (the clock does not move): the read waits for its answer.
        slow.Freeze();
        var read = peers.ReadAsync([0, 2], CancellationToken.None);
        await Eventually.UntilAsync(() => slow.Received == 2, "mysql-0 got the second read");
        Assert.False(read.IsCompleted);
        slow.Thaw();
        Assert.Equal(["mysql-0", "mysql-2"], Names(await read.WaitAsync(Guard)));
    }

    private static AgentOptions Options(FakePeerStatusServer zero, FakePeerStatusServer two) =>
        AgentOptionsReader.Read(
            OptionValues.Parse(
                [
                    "--hostname",
                    "mysql-1",
                    "--http-port",
                    "8080",
                    "--connect-to",
                    $"mysql-0.mysql:8080:127.0.0.1:{zero.Port.ToString(CultureInfo.InvariantCulture)}",
                    "--connect-to",
                    $"mysql-2.mysql:8080:127.0.0.1:{two.Port.ToString(CultureInfo.InvariantCulture)}",
                ],
                new AgentSecrets().Environment
            )
        );

    private static List<string> Names(IReadOnlyList<CandidateStatus> candidates) =>
        [.. candidates.Select(c => c.Name)];
}
