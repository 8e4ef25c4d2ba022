using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Hosting;

/// <summary>
/// <c>mysql-agent serve</c> hosted in the test process on free ports, built from a command line (as
/// in a pod) or from options, with what tests read from it: its endpoints, metrics and services.
/// </summary>
public sealed class InProcessAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lazy<HttpClient> _backupClient = new(CreateBackupClient);
    private bool _started;

    private InProcessAgent(WebApplication app, AgentOptions options)
    {
        _app = app;
        Options = options;
        Metrics = app.Services.GetRequiredService<AgentMetrics>();
        Http = new HttpClient
        {
            BaseAddress = new Uri(
                string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{options.HttpPort}")
            ),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public AgentOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The agent's metrics, readable after it stopped.</summary>
    public AgentMetrics Metrics { get; }

    /// <summary>A client of the HTTP port (health, status, metrics).</summary>
    public HttpClient Http { get; }

    public ReplicationSetupStatus SetupStatus =>
        Services.GetRequiredService<ReplicationSetupStatus>();

    public Uri BackupUri =>
        new(
            string.Create(
                CultureInfo.InvariantCulture,
                $"http://127.0.0.1:{Options.BackupPort}{BackupStreamFormat.Path}"
            )
        );

    /// <summary>The options a command line gives: the one place the tests read the agent's command line.</summary>
    /// <remarks>The agent refuses secrets on a command line: they come as its environment variables.</remarks>
    public static AgentOptions ReadCommandLine(
        IReadOnlyList<string> commandLine,
        AgentSecrets? secrets = null
    ) =>
        AgentOptionsReader.Read(
            OptionValues.Parse(commandLine, (secrets ?? new AgentSecrets()).Environment)
        );

    public static Task<InProcessAgent> StartAsync(AgentArguments arguments) =>
        StartAsync(ReadCommandLine(arguments.ToList(), arguments.Secrets));

    public static Task<InProcessAgent> StartAsync(
        IReadOnlyList<string> commandLine,
        AgentSecrets? secrets = null
    ) => StartAsync(ReadCommandLine(commandLine, secrets));

    public static Task<InProcessAgent> StartAsync(WatchOnlyAgent agent) =>
        StartAsync(agent.CommandLine, agent.Secrets);

    public static async Task<InProcessAgent> StartAsync(AgentOptions options)
    {
        var agent = Build(options);
        await agent.StartAsync();
        return agent;
    }

    /// <summary>Built but not started: a peer that comes up later.</summary>
    public static InProcessAgent Build(AgentOptions options) =>
        new(ServeCommand.Build(options, Prometheus.Metrics.NewCustomRegistry()), options);

    public async Task StartAsync()
    {
        await _app.StartAsync();
        _started = true;
    }

    public Task<HttpResponseMessage> GetAsync(string path) =>
        Http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Status and body (without its final newline) of a GET on the HTTP port.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetTextAsync(string path)
    {
        using var response = await GetAsync(path);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).TrimEnd('\n'));
    }

    /// <summary>Asks <c>/readyz</c> until <paramref name="expected"/> holds; returns that answer.</summary>
    public Task<(HttpStatusCode Status, string Body)> WaitForReadyzAsync(
        Func<HttpStatusCode, string, bool> expected,
        TimeSpan? within = null
    ) =>
        Eventually.ValueAsync(
            () => GetTextAsync("/readyz"),
            answer => expected(answer.Status, answer.Body),
            "/readyz gives the expected answer",
            within
        );

    public async Task<PrometheusText> MetricsAsync() =>
        PrometheusText.Parse(await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>The value of one series on <c>/metrics</c>; null when the series is absent.</summary>
    public async Task<double?> MetricAsync(
        string name,
        params (string Name, string Value)[] labels
    ) => (await MetricsAsync()).Value(name, labels);

    /// <summary>Waits until the setup leaves pending/running; returns the final snapshot.</summary>
    public Task<ReplicationSetupSnapshot> WaitForSetupAsync(TimeSpan timeout) =>
        Eventually.ValueAsync(
            () => Task.FromResult(SetupStatus.Current),
            current =>
                current.State
                    is not (ReplicationSetupState.Pending or ReplicationSetupState.Running),
            "the replication setup has finished",
            timeout
        );

    /// <summary><c>mysql_agent_replication_setup_attempts_total</c> by result, from /metrics.</summary>
    public async Task<IReadOnlyDictionary<string, double>> SetupAttemptsAsync() =>
        (await MetricsAsync()).ByLabel("mysql_agent_replication_setup_attempts_total", "result");

    /// <summary>GET /backup with the agent's token (or the given header), returning as soon as the headers are in.</summary>
    public async Task<HttpResponseMessage> RequestBackupAsync(
        string? authorization = "",
        CancellationToken cancellationToken = default
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, BackupUri);
        authorization =
            authorization == "" ? $"Bearer {Options.BackupToken?.Value}" : authorization;
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return await _backupClient.Value.SendAsync(
            request,
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken
        );
    }

    public double Streams(string result) => Metrics.BackupStreams.WithLabels(result).Value;

    public double Rejections(string reason) => Metrics.BackupRejections.WithLabels(reason).Value;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_backupClient.IsValueCreated)
        {
            _backupClient.Value.Dispose();
        }

        if (_started)
        {
            _started = false;
            await _app.StopAsync();
        }

        await _app.DisposeAsync();
    }

    /// <summary>A small receive buffer, so that a receiver that stops reading stalls the donor soon.</summary>
    private static HttpClient CreateBackupClient() =>
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
