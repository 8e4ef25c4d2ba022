using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MysqlAgent.Common;
using MysqlAgent.Metrics;

namespace MysqlAgent.PrimaryProxy;

/// <summary>
/// The primary proxy's port: the shared <see cref="RouteForwarder"/> (the one the local set's
/// mysql-primary runs) with the agent's logs and metrics; the route comes from the caller, so tests
/// can move it.
/// </summary>
internal sealed class PrimaryProxyListener : IAsyncDisposable, IForwarderEvents
{
    private readonly AgentMetrics _metrics;
    private readonly ILogger _logger;
    private RouteForwarder? _forwarder;

    private PrimaryProxyListener(AgentMetrics metrics, ILogger logger)
    {
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/> and forwards until disposed.</summary>
    /// <exception cref="SocketException">The port cannot be listened on.</exception>
    public static PrimaryProxyListener Start(
        IPAddress address,
        int port,
        Func<ForwardRoute> route,
        TimeProvider time,
        AgentMetrics metrics,
        ILogger logger
    )
    {
        ArgumentNullException.ThrowIfNull(address);
        var listener = new PrimaryProxyListener(metrics, logger);
        listener._forwarder = RouteForwarder.Start(
            TcpRelay.Listener(address, port),
            route,
            time,
            listener
        );
        PrimaryProxyLog.Listening(logger, address.ToString(), listener.Port);
        return listener;
    }

    public int Port => _forwarder?.Port ?? 0;

    /// <summary>The connections forwarded now.</summary>
    public int OpenConnections => _forwarder?.OpenConnections ?? 0;

    /// <summary>How many times the route was asked for and acted on (tests wait on it).</summary>
    public long Watched => _forwarder?.Watched ?? 0;

    void IForwarderEvents.Noted(string text) => PrimaryProxyLog.RouteChanged(_logger, text);

    void IForwarderEvents.Forwarded(ForwardRoute route)
    {
        _metrics.PrimaryProxyConnections.Inc();
        _metrics.PrimaryProxyConnectionsTotal.WithLabels("forwarded").Inc();
    }

    void IForwarderEvents.Ended() => _metrics.PrimaryProxyConnections.Dec();

    void IForwarderEvents.Refused() =>
        _metrics.PrimaryProxyConnectionsTotal.WithLabels("refused").Inc();

    void IForwarderEvents.Cut(ForwardRoute now, string holder, long term, int count)
    {
        _metrics.PrimaryProxyCuts.Inc(count);
        PrimaryProxyLog.Cut(
            _logger,
            now.Holder.Length > 0 ? now.Holder : "nobody",
            now.Term,
            count,
            holder,
            term
        );
    }

    public async ValueTask DisposeAsync()
    {
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync().ConfigureAwait(false);
        }
    }
}
