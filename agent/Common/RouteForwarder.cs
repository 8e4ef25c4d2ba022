using System.Net;
using System.Net.Sockets;

namespace MysqlAgent.Common;

/// <summary>
/// A mysql-primary endpoint: forwards each TCP connection to the mysqld that the route names at
/// that moment, and cuts every connection it forwarded to another holder or term as soon as the
/// route names a new one. While there is no route a new connection is held for up to
/// <see cref="HoldFor"/> until one opens (a switchover's pause, a promotion in progress), then
/// refused with a reset, so that a client retries rather than waits on a primary that cannot answer.
/// One source, linked into mysql-local (its kubelet's mysql-primary port) and mysql-agent (the
/// primary proxy behind the Kubernetes Service).
/// </summary>
/// <remarks>
/// Unlike kube-proxy, it ends the connections of a term that is over: an application stuck on a
/// frozen or demoted primary gets an error at the term change and reconnects to the new one, instead
/// of waiting for the old one to thaw and fence.
/// </remarks>
internal sealed class RouteForwarder : IAsyncDisposable
{
    /// <summary>How long a new connection waits for a route before it is refused.</summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(2);

    /// <summary>How often the route is asked for, to see a term change and a route open.</summary>
    public static readonly TimeSpan WatchEvery = TimeSpan.FromMilliseconds(50);

    private readonly TcpListener _listener;
    private readonly Func<ForwardRoute> _route;
    private readonly TimeProvider _time;
    private readonly IForwarderEvents _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Task, ForwardedConnection> _connections = [];
    private TaskCompletionSource _routeOpened = NewSignal();
    private Task _accept = Task.CompletedTask;
    private Task _watch = Task.CompletedTask;
    private string? _lastNote;
    private long _watched;

    private RouteForwarder(
        TcpListener listener,
        Func<ForwardRoute> route,
        TimeProvider time,
        IForwarderEvents events
    )
    {
        _listener = listener;
        _route = route;
        _time = time;
        _events = events;
    }

    /// <summary>Starts <paramref name="listener"/> and forwards until disposed.</summary>
    /// <param name="listener">An unstarted listener (<see cref="TcpRelay.Listener"/>).</param>
    /// <param name="route">The route now; asked every <see cref="WatchEvery"/> and for each new connection.</param>
    /// <param name="time">The clock of the hold and the watch.</param>
    /// <param name="events">Told of route changes, forwarded, refused and cut connections.</param>
    /// <exception cref="SocketException">The port cannot be listened on.</exception>
    public static RouteForwarder Start(
        TcpListener listener,
        Func<ForwardRoute> route,
        TimeProvider time,
        IForwarderEvents events
    )
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(events);
        var forwarder = new RouteForwarder(listener, route, time, events);
        listener.Start();
        forwarder._accept = Task.Run(forwarder.AcceptAsync);
        forwarder._watch = Task.Run(forwarder.WatchAsync);
        return forwarder;
    }

    /// <summary>The port listened on (the one asked for, or the one the system chose for 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The connections forwarded now.</summary>
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

    /// <summary>How many times the watch has asked for the route and acted on it (tests wait on it).</summary>
    public long Watched => Interlocked.Read(ref _watched);

    /// <summary>
    /// Asks for the route every <see cref="WatchEvery"/>: cuts the connections forwarded in another
    /// term or to another holder, and wakes the connections held for a route once one opens.
    /// </summary>
    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(WatchEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var route = _route();
                if (route.IsKnown)
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

    /// <summary>Cuts every connection forwarded to another holder or term than <paramref name="route"/> names.</summary>
    private void CutOtherThan(ForwardRoute route)
    {
        List<ForwardedConnection> stale;
        lock (_lock)
        {
            stale = _connections.Values.Where(c => !route.Leads(c.Holder, c.Term)).ToList();
        }

        foreach (var connection in stale)
        {
            connection.Cut();
        }

        foreach (var group in stale.GroupBy(c => (c.Holder, c.Term)))
        {
            _events.Cut(route, group.Key.Holder, group.Key.Term, group.Count());
        }
    }

    private Task AcceptAsync() =>
        TcpRelay.AcceptUntilStoppedAsync(_listener, ForwardAsync, Note, _stop.Token);

    /// <summary>The route, waiting up to <see cref="HoldFor"/> for one to open.</summary>
    private async Task<ForwardRoute> RouteAsync()
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

            var route = _route();
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
            if (route.Target is not { } target)
            {
                Refuse(client);
                return;
            }

            var (connected, error) = await TcpRelay
                .ConnectAsync(target, _stop.Token)
                .ConfigureAwait(false);
            if (connected is null)
            {
                Note(
                    $"refusing: {route.Holder}'s mysqld ({TcpRelay.Name(target)}) does not answer: {error}"
                );
                Refuse(client);
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

            _events.Forwarded(route);
            try
            {
                // The route may have moved while this one connected: cut it at once, not at the next watch.
                if (_route() is { IsKnown: true } now && !now.Leads(route.Holder, route.Term))
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

                _events.Ended();
            }
        }
    }

    private void Refuse(Socket client)
    {
        TcpRelay.Refuse(client);
        _events.Refused();
    }

    /// <summary>Tells the route when it changes, not at every connection.</summary>
    private void Note(string text)
    {
        lock (_lock)
        {
            if (text == _lastNote)
            {
                return;
            }

            _lastNote = text;
        }

        _events.Noted(text);
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
