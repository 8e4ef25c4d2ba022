using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MysqlAgent.Tests.Local;

/// <summary>
/// A stand-in mysqld on 127.0.0.1 for the forwarders' tests: greets every connection with its pod's
/// name, and again for each line it reads, so a client can tell where a forwarder sent it.
/// </summary>
public sealed class NamedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    private NamedServer(int port, string name)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _accept = AnswerAsync(name);
    }

    public static NamedServer Start(int port, string name) => new(port, name);

    /// <summary>Stops listening and ends every connection (a pod that went away).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        _stop.Dispose();
    }

    /// <summary>The name the server behind <paramref name="port"/> answers with; null when the connection is refused, closed or reset first.</summary>
    public static async Task<string?> ReadThroughAsync(int port)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
        }
        catch (SocketException)
        {
            client.Dispose();
            return null; // Reset before the connect completed: refused.
        }

        using (client)
        {
            return await ReadNameAsync(client);
        }
    }

    /// <summary>The next greeting on an open connection; null when it is closed or reset.</summary>
    public static async Task<string?> ReadNameAsync(TcpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
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

    private async Task AnswerAsync(string name)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(Task.Run(() => GreetAsync(client, name)));
            }
        }
        catch (Exception e)
            when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections);
    }

    private async Task GreetAsync(TcpClient client, string name)
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
    }
}
