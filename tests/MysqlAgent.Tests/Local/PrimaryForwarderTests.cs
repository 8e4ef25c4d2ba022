using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using MysqlAgent.Election;
using MysqlAgent.TestSupport;
using MysqlLocal.Failover;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

/// <summary>
/// The local set's mysql-primary port: each new connection goes to the pod the Lease names, and is
/// refused while nobody holds it. Real sockets on 127.0.0.1; "servers" that answer with their name.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PrimaryForwarderTests : IAsyncLifetime
{
    private readonly SetPaths _set = new(
        Directory.CreateTempSubdirectory("f15b-forwarder-").FullName
    );
    private readonly List<NamedServer> _servers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _log = [];
    private int _base;
    private PrimaryForwarder? _forwarder;
    private FileLeaseStore? _store;

    public Task InitializeAsync()
    {
        _base = FreeBlock();
        Directory.CreateDirectory(_set.LeaseDir);
        _store = new FileLeaseStore(_set.LeaseDir, TimeSpan.FromSeconds(2), TimeProvider.System);
        foreach (var ordinal in new[] { 1, 2 })
        {
            _servers.Add(
                NamedServer.Start(PodPorts.For(_base, ordinal).Mysql, SetPaths.PodName(ordinal))
            );
        }

        _forwarder = PrimaryForwarder.Start(
            _set,
            _base,
            RenewDeadline,
            TimeProvider.System,
            line =>
            {
                lock (_log)
                {
                    _log.Add(line);
                }
            }
        );
        return Task.CompletedTask;
    }

    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task With_no_Lease_or_no_holder_a_connection_is_refused_and_the_reason_logged()
    {
        Assert.Null(await ReadThroughAsync());

        var created = await _store!.CreateAsync(Promoted("mysql-1", 1), CancellationToken.None);
        await _store.ReplaceAsync(
            Promoted("mysql-1", 1) with
            {
                Holder = "",
            },
            created.Lease!.Version,
            CancellationToken.None
        );

        Assert.Null(await ReadThroughAsync());
        lock (_log)
        {
            Assert.Contains(_log, l => l.Contains("no Lease yet", StringComparison.Ordinal));
            Assert.Contains(
                _log,
                l => l.Contains("nobody holds the Lease (term 1)", StringComparison.Ordinal)
            );
        }
    }

    [Fact]
    public async Task Each_new_connection_follows_the_holder_and_an_open_one_is_cut_at_the_term_change()
    {
        var created = await _store!.CreateAsync(Promoted("mysql-1", 1), CancellationToken.None);
        using var open = await ConnectAsync();
        Assert.Equal("mysql-1", await ReadNameAsync(open));

        await _store.ReplaceAsync(
            Promoted("mysql-2", 2),
            created.Lease!.Version,
            CancellationToken.None
        );

        Assert.Equal("mysql-2", await ReadThroughAsync());
        // The old holder's connection ends with the term: the application reconnects.
        Assert.Null(await ReadNameAsync(open));
        // The reset reaches the client before the line is written.
        await Eventually.UntilAsync(
            () =>
            {
                lock (_log)
                {
                    return _log.Any(l =>
                        l.Contains(
                            "cut 1 connection(s) forwarded to mysql-1 in term 1",
                            StringComparison.Ordinal
                        )
                    );
                }
            },
            "the forwarder logs the connection it cut"
        );
    }

    [Fact]
    public async Task An_open_connection_stays_while_the_holder_renews_in_its_term()
    {
        var created = await _store!.CreateAsync(Promoted("mysql-1", 1), CancellationToken.None);
        using var open = await ConnectAsync();
        Assert.Equal("mysql-1", await ReadNameAsync(open));

        // A renewal: a new version, the same holder and term.
        await _store.ReplaceAsync(
            Promoted("mysql-1", 1),
            created.Lease!.Version,
            CancellationToken.None
        );
        var watched = _forwarder!.Watched;
        await Eventually.UntilAsync(
            () => _forwarder.Watched >= watched + 2,
            "the forwarder read the renewed Lease"
        );

        await open.GetStream().WriteAsync("again\n"u8.ToArray());
        Assert.Equal("mysql-1", await ReadNameAsync(open));
    }

    [Fact]
    public async Task A_holder_that_has_not_promoted_in_its_term_gets_no_connection()
    {
        await _store!.CreateAsync(Promoted("mysql-1", 1) with { Term = 2 }, CancellationToken.None);

        Assert.Null(await ReadThroughAsync());
        lock (_log)
        {
            Assert.Contains(
                _log,
                l =>
                    l.Contains(
                        "mysql-1 holds term 2 but has not promoted yet",
                        StringComparison.Ordinal
                    )
            );
        }
    }

    [Fact]
    public async Task A_holder_that_stopped_renewing_for_the_renew_deadline_gets_no_connection()
    {
        await _store!.CreateAsync(
            Promoted("mysql-1", 1) with
            {
                RenewedAt = DateTimeOffset.UtcNow - RenewDeadline - TimeSpan.FromSeconds(1),
            },
            CancellationToken.None
        );

        Assert.Null(await ReadThroughAsync());
        lock (_log)
        {
            Assert.Contains(
                _log,
                l => l.Contains("mysql-1 stopped renewing term 1", StringComparison.Ordinal)
            );
        }
    }

    [Fact]
    public async Task A_connection_made_while_the_new_holder_promotes_is_held_and_then_forwarded_to_it()
    {
        var created = await _store!.CreateAsync(
            Promoted("mysql-1", 1) with
            {
                Holder = "mysql-2",
                Term = 2,
            },
            CancellationToken.None
        );
        using var held = await ConnectAsync();
        await Eventually.UntilAsync(
            () =>
            {
                lock (_log)
                {
                    return _log.Any(l =>
                        l.Contains("has not promoted yet", StringComparison.Ordinal)
                    );
                }
            },
            "the forwarder holds the connection while mysql-2 has not promoted"
        );

        await _store.ReplaceAsync(
            Promoted("mysql-2", 2),
            created.Lease!.Version,
            CancellationToken.None
        );

        Assert.Equal("mysql-2", await ReadNameAsync(held));
    }

    [Fact]
    public async Task A_holder_whose_mysqld_does_not_listen_is_refused()
    {
        await _store!.CreateAsync(Promoted("mysql-3", 1), CancellationToken.None);

        Assert.Null(await ReadThroughAsync());
    }

    [Theory]
    [InlineData(new string[0], 10.0)]
    [InlineData(new[] { "--connect-retry-seconds=1", "--renew-deadline-seconds=6" }, 6.0)]
    [InlineData(new[] { "--renew-deadline-seconds", "7.5" }, 7.5)]
    [InlineData(new[] { "--renew-deadline-seconds=x" }, 10.0)]
    public void The_renew_deadline_is_the_one_the_agents_run_with(
        string[] arguments,
        double seconds
    )
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), PrimaryRoute.RenewDeadline(arguments));
    }

    [Fact]
    public void The_default_renew_deadline_is_the_agents_default()
    {
        Assert.Equal(ElectionTimings.Default.RenewDeadline, PrimaryRoute.DefaultRenewDeadline);
    }

    /// <summary>A Lease renewed now, whose holder recorded the fork point of its term (promoted).</summary>
    private static LeaseRecord Promoted(string holder, long term) =>
        new(
            holder,
            term,
            DateTimeOffset.UtcNow,
            [new TermStart(term, holder, "0-100-1")],
            null,
            false
        );

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, PodPorts.PrimaryPort(_base));
        return client;
    }

    private Task<string?> ReadThroughAsync() =>
        NamedServer.ReadThroughAsync(PodPorts.PrimaryPort(_base));

    private static Task<string?> ReadNameAsync(TcpClient client) =>
        NamedServer.ReadNameAsync(client);

    /// <summary>A base port whose mysql-primary port and pods 1..3's mysql ports are free.</summary>
    private static int FreeBlock()
    {
        while (true)
        {
            var basePort = 20000 + (RandomNumberGenerator.GetInt32(0, 120) * 100) + 50;
            if (
                FreePorts.IsFree(PodPorts.PrimaryPort(basePort))
                && Enumerable
                    .Range(1, 3)
                    .All(o => FreePorts.IsFree(PodPorts.For(basePort, o).Mysql))
            )
            {
                return basePort;
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }

        _stop.Dispose();
        Directory.Delete(_set.StateDir, recursive: true);
    }
}
