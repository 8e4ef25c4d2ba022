using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MysqlAgent.Identity;
using MysqlLocal.State;

namespace MysqlLocal.Failover;

/// <summary>
/// The <c>mysql-primary</c> Service of the local set: the kubelet listens on
/// <see cref="PodPorts.PrimaryPort"/> and forwards each TCP connection to the mysqld of the pod the
/// Lease names as holder, read again for every connection, as a Service follows the role label.
/// With no holder (no Lease yet, released, unreadable) the connection is refused: a client retries
/// rather than writing to a pod that may not be the primary. Connections already forwarded stay
/// where they are, as with kube-proxy; the old primary's agent kills them when it fences.
/// </summary>
public sealed class PrimaryForwarder : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly SetPaths _paths;
    private readonly int _basePort;
    private readonly Action<string> _log;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _connections = [];
    private Task _accept = Task.CompletedTask;
    private string? _lastRoute;

    private PrimaryForwarder(SetPaths paths, int basePort, Action<string> log)
    {
        _paths = paths;
        _basePort = basePort;
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
    /// <exception cref="SocketException">The port cannot be listened on.</exception>
    public static PrimaryForwarder Start(SetPaths paths, int basePort, Action<string> log)
    {
        var forwarder = new PrimaryForwarder(paths, basePort, log);
        forwarder._listener.Start();
        forwarder._accept = Task.Run(forwarder.AcceptAsync);
        log(
            string.Create(
                CultureInfo.InvariantCulture,
                $"mysql-primary: listening on 127.0.0.1:{forwarder.Port}, forwarding to the Lease holder"
            )
        );
        return forwarder;
    }

    /// <summary>The holder's mysqld port, or why there is none (for the refusal).</summary>
    public static (int? Port, string Route) Route(SetPaths paths, int basePort)
    {
        LeaseFile? lease;
        try
        {
            lease = LeaseFile.Read(paths);
        }
        catch (LocalSetException e)
        {
            return (null, "refusing: " + e.Message);
        }

        if (lease is null)
        {
            return (null, "refusing: no Lease yet");
        }

        if (lease.Holder.Length == 0)
        {
            return (
                null,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"refusing: nobody holds the Lease (term {lease.Term})"
                )
            );
        }

        if (
            !PodIdentity.TryParse(lease.Holder, out var identity, out _)
            || identity.StatefulSetName != SetPaths.StatefulSetName
            || identity.Ordinal >= PodPorts.MaxOrdinals
        )
        {
            return (null, $"refusing: the Lease names '{lease.Holder}', not a pod of this set");
        }

        var port = PodPorts.For(basePort, identity.Ordinal).Mysql;
        return (
            port,
            string.Create(
                CultureInfo.InvariantCulture,
                $"to {lease.Holder} (127.0.0.1:{port}, term {lease.Term})"
            )
        );
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                Note("cannot accept: " + e.Message);
                continue;
            }

            var connection = Task.Run(() => ForwardAsync(client));
            lock (_lock)
            {
                _connections.Add(connection);
            }

            _ = connection.ContinueWith(
                done =>
                {
                    lock (_lock)
                    {
                        _connections.Remove(done);
                    }
                },
                TaskScheduler.Default
            );
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using (client)
        {
            var (port, route) = Route(_paths, _basePort);
            Note(route);
            if (port is not { } target)
            {
                Refuse(client);
                return;
            }

            using var server = new Socket(
                AddressFamily.InterNetwork,
                SocketType.Stream,
                ProtocolType.Tcp
            );
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                connect.CancelAfter(ConnectTimeout);
                await server
                    .ConnectAsync(new IPEndPoint(IPAddress.Loopback, target), connect.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Note(
                    $"refusing: the holder's mysqld (127.0.0.1:{target}) does not answer: {e.Message}"
                );
                Refuse(client);
                return;
            }

            client.NoDelay = true;
            server.NoDelay = true;
            using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            await using var fromClient = new NetworkStream(client, ownsSocket: false);
            await using var fromServer = new NetworkStream(server, ownsSocket: false);
            var up = PumpAsync(fromClient, fromServer, both.Token);
            var down = PumpAsync(fromServer, fromClient, both.Token);
            // Either side closing ends the forwarded connection, both ways.
            await Task.WhenAny(up, down).ConfigureAwait(false);
            await both.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, 64 * 1024, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
            when (e
                    is IOException
                        or SocketException
                        or OperationCanceledException
                        or ObjectDisposedException
            )
        {
            // A side went away: the connection ends.
        }
    }

    /// <summary>Closes at once with a reset, as a Service without endpoints refuses.</summary>
    private static void Refuse(Socket client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already gone.
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
