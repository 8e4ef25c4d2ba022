using System.Net.Sockets;
using MysqlLocal.Services;

namespace MysqlLocal.Failover;

/// <summary>A client connection that mysql-primary forwards to <paramref name="Holder"/>'s mysqld, opened in <paramref name="Term"/>.</summary>
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
