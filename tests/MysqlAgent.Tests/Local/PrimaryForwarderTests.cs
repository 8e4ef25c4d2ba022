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
    private readonly List<TcpListener> _servers = [];
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
            var server = new TcpListener(IPAddress.Loopback, PodPorts.For(_base, ordinal).Mysql);
            server.Start();
            _servers.Add(server);
            _ = AnswerAsync(server, SetPaths.PodName(ordinal));
        }

        _forwarder = PrimaryForwarder.Start(
            _set,
            _base,
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

    [Fact]
    public async Task With_no_Lease_or_no_holder_a_connection_is_refused_and_the_reason_logged()
    {
        Assert.Null(await ReadThroughAsync());

        var created = await _store!.CreateAsync(Record("mysql-1", 1), CancellationToken.None);
        await _store.ReplaceAsync(Record("", 1), created.Lease!.Version, CancellationToken.None);

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
    public async Task Each_new_connection_follows_the_holder_while_an_open_one_stays_where_it_was()
    {
        var created = await _store!.CreateAsync(Record("mysql-1", 1), CancellationToken.None);
        using var open = await ConnectAsync();
        Assert.Equal("mysql-1", await ReadNameAsync(open));

        await _store.ReplaceAsync(
            Record("mysql-2", 2),
            created.Lease!.Version,
            CancellationToken.None
        );

        Assert.Equal("mysql-2", await ReadThroughAsync());
        await open.GetStream().WriteAsync("again\n"u8.ToArray());
        Assert.Equal("mysql-1", await ReadNameAsync(open));
    }

    [Fact]
    public async Task A_holder_whose_mysqld_does_not_listen_is_refused()
    {
        await _store!.CreateAsync(Record("mysql-3", 1), CancellationToken.None);

        Assert.Null(await ReadThroughAsync());
    }

    private static LeaseRecord Record(string holder, long term) =>
        new(holder, term, DateTimeOffset.UnixEpoch, [], null, false);

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, PodPorts.PrimaryPort(_base));
        return client;
    }

    /// <summary>The name the server behind the port answers with; null when the connection is closed or reset first.</summary>
    private async Task<string?> ReadThroughAsync()
    {
        TcpClient client;
        try
        {
            client = await ConnectAsync();
        }
        catch (SocketException)
        {
            return null; // Reset before the connect completed: refused.
        }

        using (client)
        {
            return await ReadNameAsync(client);
        }
    }

    private static async Task<string?> ReadNameAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64];
        try
        {
            var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
            return read == 0 ? null : Encoding.ASCII.GetString(buffer, 0, read).Trim();
        }
        catch (IOException)
        {
            return null; // Reset: refused.
        }
    }

    /// <summary>A stand-in mysqld: greets every connection with its pod's name, and again for each line.</summary>
    private async Task AnswerAsync(TcpListener server, string name)
    {
        try
        {
            while (true)
            {
                var client = await server.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var greeting = Encoding.ASCII.GetBytes(name + "\n");
                        try
                        {
                            await stream.WriteAsync(greeting, _stop.Token);
                            var buffer = new byte[64];
                            while (await stream.ReadAsync(buffer, _stop.Token) > 0)
                            {
                                await stream.WriteAsync(greeting, _stop.Token);
                            }
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException)
                        {
                            // Closed.
                        }
                    }
                });
            }
        }
        catch (Exception e)
            when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

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
            server.Stop();
        }

        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }

        _stop.Dispose();
        Directory.Delete(_set.StateDir, recursive: true);
    }
}
