using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.Identity;
using MysqlAgent.Metrics;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Backup;

/// <summary>A <c>mysql-agent serve</c> hosted in-process on free ports, serving one fixture server.</summary>
public sealed class BackupAgent : IAsyncDisposable
{
    public const string Token = "test-backup-token-0123456789";

    private readonly WebApplication _app;

    private BackupAgent(WebApplication app, AgentOptions options)
    {
        _app = app;
        Options = options;
        Metrics = app.Services.GetRequiredService<AgentMetrics>();
        Client = CreateClient();
    }

    public AgentOptions Options { get; }

    public AgentMetrics Metrics { get; }

    public HttpClient Client { get; }

    public Uri BackupUri => new($"http://127.0.0.1:{Options.BackupPort}{BackupStreamFormat.Path}");

    public Uri MetricsUri => new($"http://127.0.0.1:{Options.HttpPort}/metrics");

    public static async Task<BackupAgent> StartAsync(
        MariaDbServer server,
        Func<AgentOptions, AgentOptions>? configure = null
    )
    {
        var options = new AgentOptions
        {
            Pod = new PodIdentity("mysql-0", "mysql", 0),
            Service = "mysql",
            ServerId = (uint)server.ServerId,
            DataDir = server.DataDir,
            LocalMysql = new Endpoint(MariaDbServer.Host, server.Port),
            AdminUser = "root",
            AdminPassword = new Secret(server.RootPassword, "test"),
            ReplicationUser = "repl",
            BackupUser = BackupDonorFixture.BackupUser,
            BackupPassword = new Secret(BackupDonorFixture.BackupPassword, "test"),
            BackupToken = new Secret(Token, "test"),
            BackupPort = FreePorts.Next(),
            MaxConcurrentBackups = 1,
            BackupTool = BackupToolKind.Auto,
            LegacyStreamPort = 0,
            CloneDeadline = TimeSpan.FromMinutes(10),
            Primary = new Endpoint(MariaDbServer.Host, server.Port),
            ConnectRetrySeconds = 10,
            ReplicationMode = ReplicationMode.Auto,
            MaxLag = TimeSpan.FromSeconds(30),
            HttpPort = FreePorts.Next(),
            BindAddress = "127.0.0.1",
            LogFormat = LogFormat.Text,
            LogLevel = LogLevel.Warning,
            ConnectTo = ConnectToMap.Empty,
        };
        options = configure?.Invoke(options) ?? options;
        var app = ServeCommand.Build(options, Prometheus.Metrics.NewCustomRegistry());
        await app.StartAsync();
        return new BackupAgent(app, options);
    }

    /// <summary>GET /backup, returning as soon as the headers are in; the body is left unread.</summary>
    public async Task<HttpResponseMessage> RequestBackupAsync(
        string? authorization = "Bearer " + Token,
        CancellationToken cancellationToken = default
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, BackupUri);
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return await Client.SendAsync(
            request,
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken
        );
    }

    public double Streams(string result) => Metrics.BackupStreams.WithLabels(result).Value;

    public double Rejections(string reason) => Metrics.BackupRejections.WithLabels(reason).Value;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A small receive buffer, so that a receiver that stops reading stalls the donor soon.</summary>
    private static HttpClient CreateClient() =>
        new(
            new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.Zero,
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
                    {
                        NoDelay = true,
                        ReceiveBufferSize = 64 * 1024,
                    };
                    try
                    {
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            }
        )
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
