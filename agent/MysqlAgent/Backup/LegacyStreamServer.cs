using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;

namespace MysqlAgent.Backup;

/// <summary>
/// <c>--legacy-stream-port</c>: what the example's <c>ncat --listen ... 3307</c> did, so that pods
/// still running the example's <c>ncat --recv-only host 3307 | xbstream -x</c> can clone from an agent
/// while a set is migrated. Per connection, the RAW xbstream: no framing, no token. The same
/// concurrency limit applies; a busy donor closes the connection at once. A failed or cut backup
/// resets the connection, so that at least <c>ncat</c> can tell (the raw format has no end marker).
/// </summary>
public sealed class LegacyStreamServer : BackgroundService
{
    private readonly AgentOptions _options;
    private readonly BackupConcurrencyLimiter _limiter;
    private readonly BackupStreamer _streamer;
    private readonly AgentMetrics _metrics;
    private readonly ILogger<LegacyStreamServer> _logger;
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;

    public LegacyStreamServer(
        AgentOptions options,
        BackupConcurrencyLimiter limiter,
        BackupStreamer streamer,
        AgentMetrics metrics,
        ILogger<LegacyStreamServer> logger
    )
    {
        _options = options;
        _limiter = limiter;
        _streamer = streamer;
        _metrics = metrics;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.LegacyStreamPort == 0)
        {
            return Task.CompletedTask;
        }

        // Bind here rather than in ExecuteAsync so that a port in use fails the start loudly.
        _listener = new TcpListener(
            IPAddress.Parse(_options.BindAddress),
            _options.LegacyStreamPort
        );
        _listener.Start();
        BackupLog.LegacyPortOpen(_logger, _options.LegacyStreamPort);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        try
        {
            while (true)
            {
                var client = await listener
                    .AcceptTcpClientAsync(stoppingToken)
                    .ConfigureAwait(false);
                var connection = ServeAsync(client, stoppingToken);
                lock (_lock)
                {
                    _connections.RemoveAll(task => task.IsCompleted);
                    _connections.Add(connection);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the running backups see the same token, kill their tools and end.
        }
        finally
        {
            listener.Stop();
            Task[] running;
            lock (_lock)
            {
                running = [.. _connections];
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        // Off the accept loop at once.
        await Task.Yield();
        var remote = client.Client.RemoteEndPoint is IPEndPoint endpoint
            ? string.Create(CultureInfo.InvariantCulture, $"legacy {endpoint}")
            : "legacy unknown";
        using (client)
        {
            try
            {
                if (!_limiter.TryAcquire(out var lease))
                {
                    BackupLog.Busy(_logger, remote, _limiter.Active, _limiter.Limit);
                    _metrics.BackupRejections.WithLabels("busy").Inc();
                    // An immediate reset, not an empty stream that xbstream would take for success.
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }

                using (lease)
                {
                    client.NoDelay = true;
                    var stream = client.GetStream();
                    await using (stream.ConfigureAwait(false))
                    {
                        var outcome = await _streamer
                            .StreamRawAsync(stream, remote, stoppingToken)
                            .ConfigureAwait(false);
                        if (outcome.Result != BackupResult.Success)
                        {
                            client.Client.LingerState = new LingerOption(true, 0);
                        }
                        else
                        {
                            client.Client.Shutdown(SocketShutdown.Send);
                        }
                    }
                }
            }
            catch (Exception e)
                when (e is IOException or SocketException or ObjectDisposedException)
            {
                BackupLog.LegacyConnectionCrashed(_logger, remote, e);
            }
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }
}
