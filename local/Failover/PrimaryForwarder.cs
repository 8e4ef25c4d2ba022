using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MysqlAgent.Common;
using MysqlLocal.State;

namespace MysqlLocal.Failover;

/// <summary>
/// The <c>mysql-primary</c> Service of the local set: the kubelet listens on
/// <see cref="PodPorts.PrimaryPort"/> and forwards each TCP connection to the mysqld of the Lease's
/// holder, as <see cref="PrimaryRoute"/> decides at that moment: only to a holder that has promoted
/// in its term and whose renewals are fresh (with a fixed primary, always to mysql-0). While there is no route a new connection is held for
/// up to <see cref="HoldFor"/> until one opens (a switchover's pause, a promotion in progress), then
/// refused with a reset, so that a client retries rather than waits on a primary that cannot answer.
/// </summary>
/// <remarks>
/// Unlike kube-proxy, it cuts every connection it forwarded to a holder once the Lease names
/// another holder or term: an application stuck on a frozen or demoted primary gets an error at the
/// term change and reconnects to the new one, instead of waiting for the old one to thaw and fence.
/// The forwarding itself is <see cref="RouteForwarder"/>, shared with the agent's primary proxy.
/// </remarks>
public sealed class PrimaryForwarder : IAsyncDisposable, IForwarderEvents
{
    /// <summary>How long a new connection waits for a route before it is refused.</summary>
    public static readonly TimeSpan HoldFor = RouteForwarder.HoldFor;

    /// <summary>How often the Lease is read to see a term change and a route open.</summary>
    public static readonly TimeSpan WatchEvery = RouteForwarder.WatchEvery;

    private readonly Action<string> _log;
    private RouteForwarder? _forwarder;

    private PrimaryForwarder(int basePort, Action<string> log)
    {
        Port = PodPorts.PrimaryPort(basePort);
        _log = log;
    }

    public int Port { get; }

    /// <summary>Listens and forwards until disposed.</summary>
    /// <param name="paths">The set's files (the Lease).</param>
    /// <param name="basePort">The set's base port.</param>
    /// <param name="renewDeadline">The agents' renew deadline (<see cref="PrimaryRoute.RenewDeadline"/>).</param>
    /// <param name="time">The clock the Lease's renewals are judged by.</param>
    /// <param name="log">The kubelet's log.</param>
    /// <exception cref="SocketException">The port cannot be listened on.</exception>
    public static PrimaryForwarder Start(
        SetPaths paths,
        int basePort,
        TimeSpan renewDeadline,
        TimeProvider time,
        Action<string> log
    )
    {
        return Listen(
            new PrimaryForwarder(basePort, log),
            () => PrimaryRoute.Read(paths, basePort, renewDeadline, time),
            time,
            string.Create(
                CultureInfo.InvariantCulture,
                $"forwarding to the Lease holder while it has promoted and renews (renew deadline {renewDeadline.TotalSeconds:0.#} s)"
            )
        );
    }

    /// <summary>With a fixed primary (<c>up --fixed-primary</c>): every connection to mysql-0, as a Service selecting that pod.</summary>
    /// <exception cref="SocketException">The port cannot be listened on.</exception>
    public static PrimaryForwarder StartToMysql0(
        int basePort,
        TimeProvider time,
        Action<string> log
    )
    {
        var route = PrimaryRoute.FixedPrimary(basePort);
        return Listen(
            new PrimaryForwarder(basePort, log),
            () => route,
            time,
            "forwarding to mysql-0, the fixed primary"
        );
    }

    private static PrimaryForwarder Listen(
        PrimaryForwarder forwarder,
        Func<PrimaryRoute> route,
        TimeProvider time,
        string what
    )
    {
        forwarder._forwarder = RouteForwarder.Start(
            TcpRelay.Listener(IPAddress.Loopback, forwarder.Port),
            () => ToForwardRoute(route()),
            time,
            forwarder
        );
        forwarder._log(
            string.Create(
                CultureInfo.InvariantCulture,
                $"mysql-primary: listening on 127.0.0.1:{forwarder.Port}, {what}"
            )
        );
        return forwarder;
    }

    /// <summary>The connections forwarded now (for tests and the log).</summary>
    public int OpenConnections => _forwarder?.OpenConnections ?? 0;

    /// <summary>How many times the watch has read the Lease and acted on it (tests wait on it).</summary>
    public long Watched => _forwarder?.Watched ?? 0;

    private static ForwardRoute ToForwardRoute(PrimaryRoute route) =>
        new(
            route.Port is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null,
            route.Holder,
            route.Term,
            route.Text
        );

    void IForwarderEvents.Noted(string text) => _log("mysql-primary: " + text);

    void IForwarderEvents.Cut(ForwardRoute now, string holder, long term, int count) =>
        _log(
            string.Create(
                CultureInfo.InvariantCulture,
                $"mysql-primary: the Lease names {(now.Holder.Length > 0 ? now.Holder : "nobody")} in term {now.Term}: cut {count} connection(s) forwarded to {holder} in term {term}"
            )
        );

    void IForwarderEvents.Forwarded(ForwardRoute route) { }

    void IForwarderEvents.Ended() { }

    void IForwarderEvents.Refused() { }

    public async ValueTask DisposeAsync()
    {
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync().ConfigureAwait(false);
        }
    }
}
