using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Health;

/// <summary>The real <c>serve</c> application, in-process on free ports, with a fixture server as its local mysqld.</summary>
internal sealed partial class AgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AgentHost(WebApplication app, AgentOptions options)
    {
        _app = app;
        Options = options;
        Http = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{options.HttpPort}"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public AgentOptions Options { get; }
    public HttpClient Http { get; }

    public static async Task<AgentHost> StartAsync(
        MariaDbServer localMysql,
        int ordinal,
        int maxLagSeconds = 30
    )
    {
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(
                [
                    "--hostname",
                    $"mysql-{ordinal}",
                    "--mysql-host",
                    MariaDbServer.Host,
                    "--mysql-port",
                    Text(localMysql.Port),
                    "--bind-address",
                    "127.0.0.1",
                    "--http-port",
                    Text(FreePorts.Next()),
                    "--backup-port",
                    Text(FreePorts.Next()),
                    "--max-lag-seconds",
                    Text(maxLagSeconds),
                ],
                new AgentSecrets(AdminPassword: localMysql.RootPassword).Environment
            )
        );
        var app = ServeCommand.Build(options, Prometheus.Metrics.NewCustomRegistry());
        await app.StartAsync();
        return new AgentHost(app, options);
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).TrimEnd('\n'));
    }

    /// <summary>Polls <c>/readyz</c> until <paramref name="expected"/> holds; returns its last body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> WaitForReadyzAsync(
        Func<HttpStatusCode, string, bool> expected,
        TimeSpan? within = null
    )
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var (status, body) = await GetAsync("/readyz");
            if (expected(status, body))
            {
                return (status, body);
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(
                    $"/readyz never reached the expected state; last: {(int)status} {body}"
                );
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The value of one series on <c>/metrics</c>; null when the series is absent.</summary>
    public async Task<double?> MetricAsync(string name, string labels = "")
    {
        var text = await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (Match m in SeriesPattern().Matches(text))
        {
            if (m.Groups["name"].Value == name && m.Groups["labels"].Value == labels)
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(
        @"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)$",
        RegexOptions.Multiline
    )]
    private static partial Regex SeriesPattern();
}
