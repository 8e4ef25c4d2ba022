using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MysqlAgent.Common;
using MysqlLocal.State;

namespace MysqlLocal.Services;

/// <summary>
/// The <c>mysql-read</c> Service of the local set: the kubelet listens on
/// <see cref="PodPorts.ReadPort"/> and sends each new TCP connection to the next ready pod's mysqld
/// in turn, the primary's included, as the Service's endpoints do. A pod that does not answer is
/// skipped for the next one; with no ready pod the connection is refused with a reset. As with
/// kube-proxy, a connection stays where it went: a pod that turns unready keeps its clients.
/// </summary>
public sealed class ReadForwarder : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<ReadEndpoint>> _ready;
    private readonly Action<string> _log;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _connections = [];
    private Task _accept = Task.CompletedTask;
    private string? _lastNote;
    private long _next = -1;

    private ReadForwarder(int port, Func<IReadOnlyList<ReadEndpoint>> ready, Action<string> log)
    {
        _ready = ready;
        _log = log;
        Port = port;
        _listener = TcpRelay.Listener(IPAddress.Loopback, port);
    }

    public int Port { get; }

    /// <summary>Listens on <paramref name="port"/> and forwards until disposed.</summary>
    /// <param name="port">The set's mysql-read port.</param>
    /// <param name="ready">The ready pods now (called for every new connection).</param>
    /// <param name="log">The kubelet's log.</param>
    /// <exception cref="SocketException">The port cannot be listened on.</exception>
    public static ReadForwarder Start(
        int port,
        Func<IReadOnlyList<ReadEndpoint>> ready,
        Action<string> log
    )
    {
        ArgumentNullException.ThrowIfNull(ready);
        ArgumentNullException.ThrowIfNull(log);
        var forwarder = new ReadForwarder(port, ready, log);
        forwarder._listener.Start();
        forwarder._accept = Task.Run(forwarder.AcceptAsync);
        log(
            string.Create(
                CultureInfo.InvariantCulture,
                $"mysql-read: listening on 127.0.0.1:{port}, each new connection to the next ready pod"
            )
        );
        return forwarder;
    }

    private Task AcceptAsync() =>
        TcpRelay.AcceptUntilStoppedAsync(_listener, TrackedForwardAsync, Note, _stop.Token);

    /// <summary>Forwards one connection, kept in the set that disposing waits for.</summary>
    private async Task TrackedForwardAsync(Socket client)
    {
        var forwarding = ForwardAsync(client);
        lock (_lock)
        {
            _connections.Add(forwarding);
        }

        try
        {
            await forwarding.ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _connections.Remove(forwarding);
            }
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using (client)
        {
            var ready = _ready();
            if (ready.Count == 0)
            {
                Note("refusing: no pod is ready");
                TcpRelay.Refuse(client);
                return;
            }

            // Round robin from the pod after the last one chosen; one that does not answer is skipped.
            var first = Interlocked.Increment(ref _next);
            for (var i = 0; i < ready.Count; i++)
            {
                var pod = ready[(int)((first + i) % ready.Count)];
                var (server, error) = await TcpRelay
                    .ConnectAsync(pod.Port, _stop.Token)
                    .ConfigureAwait(false);
                if (server is null)
                {
                    Note($"{pod.Pod} (127.0.0.1:{pod.Port}) does not answer: {error}");
                    continue;
                }

                using (server)
                {
                    Note(
                        $"to the ready pods {string.Join(", ", ready.Select(p => p.Pod))} in turn"
                    );
                    using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    await TcpRelay.PumpBothAsync(client, server, both).ConfigureAwait(false);
                }

                return;
            }

            Note("refusing: no ready pod answers");
            TcpRelay.Refuse(client);
        }
    }

    /// <summary>Logs what mysql-read does when it changes, not at every connection.</summary>
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

        _log("mysql-read: " + text);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accept.ConfigureAwait(false);
        Task[] open;
        lock (_lock)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        _stop.Dispose();
    }
}
