using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MysqlLocal.Services;
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
/// </remarks>
public sealed class PrimaryForwarder : IAsyncDisposable
{
    /// <summary>How long a new connection waits for a route before it is refused.</summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(2);

    /// <summary>How often the Lease is read to see a term change and a route open.</summary>
    public static readonly TimeSpan WatchEvery = TimeSpan.FromMilliseconds(50);

    private readonly Func<PrimaryRoute> _route;
    private readonly int _basePort;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Task, ForwardedConnection> _connections = [];
    private TaskCompletionSource _routeOpened = NewSignal();
    private Task _accept = Task.CompletedTask;
    private Task _watch = Task.CompletedTask;
    private string? _lastRoute;
    private long _watched;

    private PrimaryForwarder(
        Func<PrimaryRoute> route,
        int basePort,
        TimeProvider time,
        Action<string> log
    )
    {
        _route = route;
        _basePort = basePort;
        _time = time;
        _log = log;
        _listener = new TcpListener(IPAddress.Loopback, PodPorts.PrimaryPort(basePort));
        // As mysqld does: connections of a forwarder just stopped, in TIME_WAIT, do not block a restart.
        _listener.Server.SetSocketOption(
            SocketOptionLevel.Socket,
            SocketOptionName.ReuseAddress,
            true
        );
    }

    public int Port => PodPorts.PrimaryPort(_basePort);

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
            new PrimaryForwarder(
                () => PrimaryRoute.Read(paths, basePort, renewDeadline, time),
                basePort,
                time,
                log
            ),
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
            new PrimaryForwarder(() => route, basePort, time, log),
            "forwarding to mysql-0, the fixed primary"
        );
    }

    private static PrimaryForwarder Listen(PrimaryForwarder forwarder, string what)
    {
        forwarder._listener.Start();
        forwarder._accept = Task.Run(forwarder.AcceptAsync);
        forwarder._watch = Task.Run(forwarder.WatchAsync);
        forwarder._log(
            string.Create(
                CultureInfo.InvariantCulture,
                $"mysql-primary: listening on 127.0.0.1:{forwarder.Port}, {what}"
            )
        );
        return forwarder;
    }

    /// <summary>The connections forwarded now (for tests and the log).</summary>
    public int OpenConnections
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>How many times the watch has read the Lease and acted on it (tests wait on it).</summary>
    public long Watched => Interlocked.Read(ref _watched);

    private PrimaryRoute CurrentRoute() => _route();

    /// <summary>
    /// Reads the Lease every <see cref="WatchEvery"/>: cuts the connections forwarded in an earlier
    /// term or to another holder, and wakes the connections held for a route once one opens.
    /// </summary>
    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(WatchEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var route = CurrentRoute();
                if (route.Term >= 0)
                {
                    CutOtherThan(route);
                }

                if (route.IsOpen)
                {
                    TaskCompletionSource opened;
                    lock (_lock)
                    {
                        opened = _routeOpened;
                        _routeOpened = NewSignal();
                    }

                    opened.TrySetResult();
                }

                Interlocked.Increment(ref _watched);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>Cuts every connection forwarded to another holder or term than the Lease names now.</summary>
    private void CutOtherThan(PrimaryRoute route)
    {
        List<ForwardedConnection> stale;
        lock (_lock)
        {
            stale = _connections
                .Values.Where(c => c.Term != route.Term || c.Holder != route.Holder)
                .ToList();
        }

        if (stale.Count == 0)
        {
            return;
        }

        foreach (var connection in stale)
        {
            connection.Cut();
        }

        foreach (var group in stale.GroupBy(c => (c.Holder, c.Term)))
        {
            _log(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"mysql-primary: the Lease names {(route.Holder.Length > 0 ? route.Holder : "nobody")} in term {route.Term}: cut {group.Count()} connection(s) forwarded to {group.Key.Holder} in term {group.Key.Term}"
                )
            );
        }
    }

    private Task AcceptAsync() =>
        TcpRelay.AcceptUntilStoppedAsync(_listener, ForwardAsync, Note, _stop.Token);

    /// <summary>The route, waiting up to <see cref="HoldFor"/> for one to open.</summary>
    private async Task<PrimaryRoute> RouteAsync()
    {
        var deadline =
            _time.GetTimestamp() + (long)(HoldFor.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            Task opened;
            lock (_lock)
            {
                opened = _routeOpened.Task;
            }

            var route = CurrentRoute();
            var left = TimeSpan.FromSeconds(
                (deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency
            );
            if (route.IsOpen || left <= TimeSpan.Zero || _stop.IsCancellationRequested)
            {
                return route;
            }

            // Said once per change, while connections wait.
            Note(route.Text);

            try
            {
                await opened.WaitAsync(left, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Asked once more, then given up.
            }
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using (client)
        {
            var route = await RouteAsync().ConfigureAwait(false);
            Note(route.Text);
            if (route.Port is not { } target)
            {
                TcpRelay.Refuse(client);
                return;
            }

            var (connected, error) = await TcpRelay
                .ConnectAsync(target, _stop.Token)
                .ConfigureAwait(false);
            if (connected is null)
            {
                Note(
                    $"refusing: the holder's mysqld (127.0.0.1:{target}) does not answer: {error}"
                );
                TcpRelay.Refuse(client);
                return;
            }

            using var server = connected;
            using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var forwarded = new ForwardedConnection(route.Holder, route.Term, client, both);
            var pumping = TcpRelay.PumpBothAsync(client, server, both);
            lock (_lock)
            {
                _connections[pumping] = forwarded;
            }

            try
            {
                // The Lease may have moved while this one connected: cut it at once, not at the next watch.
                if (
                    CurrentRoute() is { Term: >= 0 } now
                    && (now.Term != route.Term || now.Holder != route.Holder)
                )
                {
                    forwarded.Cut();
                }

                await pumping.ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _connections.Remove(pumping);
                }
            }
        }
    }

    /// <summary>Logs the route when it changes, not at every connection.</summary>
    private void Note(string route)
    {
        lock (_lock)
        {
            if (route == _lastRoute)
            {
                return;
            }

            _lastRoute = route;
        }

        _log("mysql-primary: " + route);
    }

    private static TaskCompletionSource NewSignal() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accept.ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
        Task[] open;
        lock (_lock)
        {
            open = [.. _connections.Keys];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        _stop.Dispose();
    }
}
