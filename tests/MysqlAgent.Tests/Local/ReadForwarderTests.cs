using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using MysqlAgent.TestSupport;
using MysqlLocal.Services;

namespace MysqlAgent.Tests.Local;

/// <summary>
/// The local set's mysql-read port: new connections go to the ready pods in turn, skip a pod that
/// does not answer, and are refused when no pod is ready. Real sockets on 127.0.0.1; "servers"
/// that answer with their name.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ReadForwarderTests : IAsyncLifetime
{
    private readonly List<NamedServer> _servers = [];
    private readonly List<string> _log = [];
    private readonly int _mysql0 = FreePorts.Next();
    private readonly int _mysql1 = FreePorts.Next();
    private volatile IReadOnlyList<ReadEndpoint> _ready = [];
    private ReadForwarder? _forwarder;

    public Task InitializeAsync()
    {
        _servers.Add(NamedServer.Start(_mysql0, "mysql-0"));
        _servers.Add(NamedServer.Start(_mysql1, "mysql-1"));
        _forwarder = ReadForwarder.Start(
            FreePorts.Next(),
            () => _ready,
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
    public async Task New_connections_go_to_the_ready_pods_in_turn()
    {
        _ready = [new("mysql-0", _mysql0), new("mysql-1", _mysql1)];

        var reached = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            reached.Add(await ReadThroughAsync());
        }

        Assert.Equal(2, reached.Count(r => r == "mysql-0"));
        Assert.Equal(2, reached.Count(r => r == "mysql-1"));
        Assert.NotEqual(reached[0], reached[1]);
    }

    [Fact]
    public async Task With_no_ready_pod_a_connection_is_refused_and_the_reason_logged()
    {
        Assert.Null(await ReadThroughAsync());
        lock (_log)
        {
            Assert.Contains(_log, l => l == "mysql-read: refusing: no pod is ready");
        }
    }

    [Fact]
    public async Task A_ready_pod_whose_mysqld_does_not_answer_is_skipped_for_the_next()
    {
        var gone = FreePorts.Next();
        _ready = [new("mysql-2", gone), new("mysql-1", _mysql1)];

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("mysql-1", await ReadThroughAsync());
        }

        lock (_log)
        {
            Assert.Contains(
                _log,
                l =>
                    l.StartsWith(
                        $"mysql-read: mysql-2 (127.0.0.1:{gone}) does not answer",
                        StringComparison.Ordinal
                    )
            );
        }
    }

    [Fact]
    public async Task A_pod_that_turns_unready_gets_no_new_connection_and_keeps_the_ones_it_has()
    {
        _ready = [new("mysql-0", _mysql0)];
        using var open = new TcpClient();
        await open.ConnectAsync(IPAddress.Loopback, _forwarder!.Port);
        Assert.Equal("mysql-0", await NamedServer.ReadNameAsync(open));

        _ready = [new("mysql-1", _mysql1)];
        Assert.Equal("mysql-1", await ReadThroughAsync());
        Assert.Equal("mysql-1", await ReadThroughAsync());

        // As with kube-proxy: the established connection stays with mysql-0.
        await open.GetStream().WriteAsync("again\n"u8.ToArray());
        Assert.Equal("mysql-0", await NamedServer.ReadNameAsync(open));
    }

    [Fact]
    public async Task The_port_is_free_again_once_the_forwarder_is_disposed()
    {
        var port = _forwarder!.Port;
        await _forwarder.DisposeAsync();
        _forwarder = null;

        using var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
    }

    private Task<string?> ReadThroughAsync() => NamedServer.ReadThroughAsync(_forwarder!.Port);

    public async Task DisposeAsync()
    {
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
