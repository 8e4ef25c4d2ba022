using System.Net;
using System.Net.Sockets;

namespace MysqlAgent.Common;

/// <summary>
/// What a Service port does with one TCP connection (the local set's mysql-primary and mysql-read,
/// the agent's primary proxy): connect to a pod's mysqld, copy bytes both ways until either side
/// closes, or refuse with a reset. One source, linked into mysql-agent and mysql-local.
/// </summary>
internal static class TcpRelay
{
    /// <summary>How long a connection to a pod's mysqld may take before the pod counts as not answering.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>An unstarted listener on <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static TcpListener Listener(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        // As mysqld does: connections of a forwarder just stopped, in TIME_WAIT, do not block a restart.
        listener.Server.SetSocketOption(
            SocketOptionLevel.Socket,
            SocketOptionName.ReuseAddress,
            true
        );
        return listener;
    }

    /// <summary><paramref name="target"/> as host:port, for the log.</summary>
    public static string Name(EndPoint target) =>
        target is DnsEndPoint name ? $"{name.Host}:{name.Port}" : target.ToString() ?? "";

    /// <summary>
    /// Accepts connections until <paramref name="stop"/> is cancelled, handing each to
    /// <paramref name="forward"/> on the thread pool; an accept that fails is noted and retried.
    /// </summary>
    public static async Task AcceptUntilStoppedAsync(
        TcpListener listener,
        Func<Socket, Task> forward,
        Action<string> note,
        CancellationToken stop
    )
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(note);
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop).ConfigureAwait(false);
            }
            // Stopping races the loop: the listener may be stopped between the check above and
            // the accept, which then throws what a stopped listener throws (ObjectDisposedException
            // in CI run H, InvalidOperationException "Not listening" in run J). Once stopping,
            // whatever the accept throws ends the loop.
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                note("cannot accept: " + e.Message);
                continue;
            }

            _ = Task.Run(() => forward(client), CancellationToken.None);
        }
    }

    /// <summary>A connected socket to 127.0.0.1:<paramref name="port"/>, or the reason it could not be opened.</summary>
    public static Task<(Socket? Server, string? Error)> ConnectAsync(
        int port,
        CancellationToken cancellationToken
    ) => ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);

    /// <summary>
    /// A connected socket to <paramref name="target"/> (an address, or a DNS name resolved now), or
    /// the reason it could not be opened within <see cref="ConnectTimeout"/>.
    /// </summary>
    public static async Task<(Socket? Server, string? Error)> ConnectAsync(
        EndPoint target,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(target);
        // A DNS name may resolve to IPv4 or IPv6: the dual-mode socket takes either.
        var server = target is IPEndPoint address
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(ConnectTimeout);
            await server.ConnectAsync(target, connect.Token).ConfigureAwait(false);
            server.NoDelay = true;
            return (server, null);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            server.Dispose();
            return (null, e.Message);
        }
    }

    /// <summary>Copies both ways until either side closes or <paramref name="both"/> is cancelled; then ends both.</summary>
    public static async Task PumpBothAsync(
        Socket client,
        Socket server,
        CancellationTokenSource both
    )
    {
        ArgumentNullException.ThrowIfNull(both);
        client.NoDelay = true;
        await using var fromClient = new NetworkStream(client, ownsSocket: false);
        await using var fromServer = new NetworkStream(server, ownsSocket: false);
        var up = PumpAsync(fromClient, fromServer, both.Token);
        var down = PumpAsync(fromServer, fromClient, both.Token);
        // Either side closing ends the forwarded connection, both ways.
        await Task.WhenAny(up, down).ConfigureAwait(false);
        await both.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    /// <summary>Closes at once with a reset, as a Service without endpoints refuses.</summary>
    public static void Refuse(Socket client)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
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
}
