using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary><c>mysql-agent serve</c> hosted in the test process on free ports.</summary>
internal sealed partial class InProcessAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private InProcessAgent(WebApplication app, AgentArguments arguments)
    {
        _app = app;
        Arguments = arguments;
        _http = new HttpClient
        {
            BaseAddress = new Uri(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"http://127.0.0.1:{arguments.HttpPort}"
                )
            ),
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public AgentArguments Arguments { get; }

    public ReplicationSetupStatus Status =>
        _app.Services.GetRequiredService<ReplicationSetupStatus>();

    public static async Task<InProcessAgent> StartAsync(AgentArguments arguments)
    {
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(arguments.ToList(), arguments.Secrets.Environment)
        );
        var app = ServeCommand.Build(options, Prometheus.Metrics.NewCustomRegistry());
        await app.StartAsync();
        return new InProcessAgent(app, arguments);
    }

    public Task<HttpResponseMessage> GetAsync(string path) =>
        _http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Waits until the setup leaves pending/running; returns the final snapshot.</summary>
    public async Task<ReplicationSetupSnapshot> WaitForSetupAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var current = Status.Current;
            if (
                current.State
                is not (ReplicationSetupState.Pending or ReplicationSetupState.Running)
            )
            {
                return current;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"setup still {current.StateName} after {timeout}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary><c>mysql_agent_replication_setup_attempts_total</c> by result, from /metrics.</summary>
    public async Task<IReadOnlyDictionary<string, double>> SetupAttemptsAsync() =>
        ParseSetupAttempts(await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    public static IReadOnlyDictionary<string, double> ParseSetupAttempts(string metrics) =>
        SetupAttemptsLine()
            .Matches(metrics)
            .ToDictionary(
                m => m.Groups["result"].Value,
                m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)
            );

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(
        @"^mysql_agent_replication_setup_attempts_total\{result=""(?<result>[a-z_]+)""\} (?<value>[0-9.e+]+)$",
        RegexOptions.Multiline
    )]
    private static partial Regex SetupAttemptsLine();
}
