using System.Net.Sockets;

namespace MysqlAgent.Common;

/// <summary>A client connection that a <see cref="RouteForwarder"/> forwards to <paramref name="holder"/>'s mysqld, opened in <paramref name="term"/>.</summary>
internal sealed class ForwardedConnection(
    string holder,
    long term,
    Socket client,
    CancellationTokenSource pumps
)
{
    public string Holder { get; } = holder;

    public long Term { get; } = term;

    /// <summary>Ends it both ways; the client sees a reset, as from a server that went away.</summary>
    public void Cut()
    {
        TcpRelay.Refuse(client);
        try
        {
            pumps.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Ended already.
        }
    }
}
