using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Hosting;

/// <summary>
/// With --set-id, /status and /backup (even its 401) name the agent's set, so a peer or a local
/// kubelet that reached another set's agent can tell. No mysqld is needed: the header does not
/// depend on it, and /status answers while mysqld is down.
/// </summary>
public sealed class SetIdHeaderTests
{
    [Fact(Timeout = 60_000)]
    public async Task Status_and_a_refused_backup_carry_the_set_id()
    {
        var (app, options) = Build("--set-id", "set-42ab");
        await app.StartAsync();
        try
        {
            using var client = new HttpClient();

            using (var status = await client.GetAsync(Url(options.HttpPort, "/status")))
            {
                Assert.Equal(HttpStatusCode.OK, status.StatusCode);
                Assert.Equal(["set-42ab"], status.Headers.GetValues(SetIdHeader.Name));
            }

            using var backup = await client.GetAsync(Url(options.BackupPort, "/backup"));
            Assert.Equal(HttpStatusCode.Unauthorized, backup.StatusCode);
            Assert.Equal(["set-42ab"], backup.Headers.GetValues(SetIdHeader.Name));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_set_id_no_header_is_sent()
    {
        var (app, options) = Build();
        await app.StartAsync();
        try
        {
            using var client = new HttpClient();
            using var status = await client.GetAsync(Url(options.HttpPort, "/status"));

            Assert.False(status.Headers.Contains(SetIdHeader.Name));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static (WebApplication App, AgentOptions Options) Build(params string[] extra)
    {
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(
                [
                    "--hostname",
                    "mysql-0",
                    "--mysql-port",
                    Text(FreePorts.Next()), // Nobody listens: mysqld is down.
                    "--bind-address",
                    "127.0.0.1",
                    "--http-port",
                    Text(FreePorts.Next()),
                    "--backup-port",
                    Text(FreePorts.Next()),
                    .. extra,
                ],
                new AgentSecrets(AdminPassword: "unused").Environment
            )
        );
        return (ServeCommand.Build(options, Prometheus.Metrics.NewCustomRegistry()), options);
    }

    private static Uri Url(int port, string path) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{path}"));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
