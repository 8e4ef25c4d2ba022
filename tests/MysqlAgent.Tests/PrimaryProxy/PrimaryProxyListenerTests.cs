using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Common;
using MysqlAgent.Metrics;
using MysqlAgent.PrimaryProxy;
using MysqlAgent.Tests.Local;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.PrimaryProxy;

/// <summary>
/// The agent's primary proxy with real sockets on 127.0.0.1: two "servers" that answer with their
/// name stand for two holders' mysqld; the test moves the route as the election would.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PrimaryProxyListenerTests : IAsyncLifetime
{
    private readonly AgentMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry());
    private readonly int _portA = FreePorts.Next();
    private readonly int _portB = FreePorts.Next();
    private NamedServer? _serverA;
    private NamedServer? _serverB;
    private PrimaryProxyListener? _proxy;
    private volatile ForwardRoute _route = new(null, "", -1, "refusing: no Lease read yet");

    public Task InitializeAsync()
    {
        _serverA = NamedServer.Start(_portA, "mysql-0");
        _serverB = NamedServer.Start(_portB, "mysql-1");
        _proxy = PrimaryProxyListener.Start(
            IPAddress.Loopback,
            0,
            () => _route,
            TimeProvider.System,
            _metrics,
            NullLogger.Instance
        );
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_connection_follows_the_holder_and_is_cut_when_the_term_changes()
    {
        _route = To("mysql-0", 1, _portA);
        using var open = await ConnectAsync();
        Assert.Equal("mysql-0", await NamedServer.ReadNameAsync(open));
        await Eventually.UntilAsync(
            () => _metrics.PrimaryProxyConnections.Value == 1,
            "the proxy counts the open connection"
        );

        _route = To("mysql-1", 2, _portB);

        // The old holder's connection ends with its term: the client sees EOF or a reset.
        Assert.Null(await NamedServer.ReadNameAsync(open));
        Assert.Equal("mysql-1", await NamedServer.ReadThroughAsync(_proxy!.Port));
        await Eventually.UntilAsync(
            () => _metrics.PrimaryProxyCuts.Value == 1,
            "the proxy counts the connection it cut"
        );
        Assert.True(_metrics.PrimaryProxyConnectionsTotal.WithLabels("forwarded").Value >= 2);
    }

    [Fact]
    public async Task An_open_connection_stays_while_the_holder_keeps_its_term()
    {
        _route = To("mysql-0", 1, _portA);
        using var open = await ConnectAsync();
        Assert.Equal("mysql-0", await NamedServer.ReadNameAsync(open));

        var watched = _proxy!.Watched;
        await Eventually.UntilAsync(
            () => _proxy.Watched >= watched + 2,
            "the proxy looked at the route again"
        );

        await open.GetStream().WriteAsync("again\n"u8.ToArray());
        Assert.Equal("mysql-0", await NamedServer.ReadNameAsync(open));
        Assert.Equal(0, _metrics.PrimaryProxyCuts.Value);
    }

    [Fact]
    public async Task Without_a_route_a_connection_is_refused_after_the_hold()
    {
        var started = TimeProvider.System.GetTimestamp();

        Assert.Null(await NamedServer.ReadThroughAsync(_proxy!.Port));

        Assert.True(
            TimeProvider.System.GetElapsedTime(started) >= RouteForwarder.HoldFor * 0.9,
            "the connection was held before it was refused"
        );
        await Eventually.UntilAsync(
            () => _metrics.PrimaryProxyConnectionsTotal.WithLabels("refused").Value == 1,
            "the proxy counts the refused connection"
        );
    }

    [Fact]
    public async Task A_connection_held_while_there_is_no_route_goes_to_the_holder_once_one_opens()
    {
        _route = new ForwardRoute(
            null,
            "mysql-1",
            2,
            "refusing: mysql-1 holds term 2 but has not promoted yet"
        );
        using var held = await ConnectAsync();
        var watched = _proxy!.Watched;
        await Eventually.UntilAsync(() => _proxy.Watched > watched, "the proxy watched the route");

        _route = To("mysql-1", 2, _portB);

        Assert.Equal("mysql-1", await NamedServer.ReadNameAsync(held));
    }

    private static ForwardRoute To(string holder, long term, int port) =>
        new(new IPEndPoint(IPAddress.Loopback, port), holder, term, $"to {holder} (term {term})");

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _proxy!.Port);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await _serverA!.DisposeAsync();
        await _serverB!.DisposeAsync();
    }
}
