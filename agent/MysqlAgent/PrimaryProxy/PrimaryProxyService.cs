using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;

namespace MysqlAgent.PrimaryProxy;

/// <summary>
/// <c>serve --primary-proxy-port</c>: every pod's agent listens there and forwards each TCP
/// connection to the current primary's mysqld (<see cref="PrimaryProxyRoute"/>, from what the
/// election already observes: no second read of the Lease), and cuts the connections of a term that
/// is over. The <c>mysql-primary</c> Service selects every pod and targets this port, so a client
/// never depends on a frozen primary's own network.
/// </summary>
internal sealed class PrimaryProxyService(
    AgentOptions options,
    RoleProvider role,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<PrimaryProxyService> logger
) : IHostedService, IAsyncDisposable
{
    private PrimaryProxyListener? _listener;

    /// <summary>One line per bad value of the proxy's port.</summary>
    public static IEnumerable<string> Validate(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var port = options.PrimaryProxyPort;
        if (port == 0)
        {
            yield break;
        }

        foreach (
            var (name, other) in new[]
            {
                ("--http-port", options.HttpPort),
                ("--backup-port", options.BackupPort),
                ("--legacy-stream-port", options.LegacyStreamPort),
                ("--mysql-port", options.LocalMysql.Port),
            }
        )
        {
            if (other == port)
            {
                yield return $"--primary-proxy-port {port} is also {name}: the proxy listens beside mysqld and the agent's ports; give it its own port (the manifests use 3308)";
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(options.BindAddress);
        try
        {
            _listener = PrimaryProxyListener.Start(
                address,
                options.PrimaryProxyPort,
                () => PrimaryProxyRoute.For(role, options),
                time,
                metrics,
                logger
            );
        }
        catch (SocketException e)
        {
            PrimaryProxyLog.CannotListen(
                logger,
                options.BindAddress,
                options.PrimaryProxyPort,
                e.Message
            );
            throw;
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        var listener = Interlocked.Exchange(ref _listener, null);
        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
