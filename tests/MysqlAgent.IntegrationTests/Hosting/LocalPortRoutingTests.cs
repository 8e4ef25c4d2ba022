using System.Net;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Hosting;

[Trait("Category", "Slow")]
public sealed class LocalPortRoutingTests
{
    [Fact(Timeout = 120_000)]
    public async Task Each_endpoint_answers_on_its_own_port_whatever_the_Host_header_says()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 1 }
        );
        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.WatchOnly(server, 0)
        );
        using var client = new HttpClient();
        var http = agent.Options.HttpPort;
        var backup = agent.Options.BackupPort;

        // A port-forward or proxy sends another Host header: the endpoint still answers.
        using var forwarded = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri($"http://127.0.0.1:{http}/healthz")
        );
        forwarded.Headers.Host = "localhost:9999";
        using (var response = await client.SendAsync(forwarded))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await client.GetAsync(new Uri($"http://127.0.0.1:{backup}/healthz")))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var response = await client.GetAsync(new Uri($"http://127.0.0.1:{backup}/metrics")))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var response = await client.GetAsync(new Uri($"http://127.0.0.1:{http}/backup")))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // On its own port /backup exists and asks for the token.
        using (var response = await client.GetAsync(new Uri($"http://127.0.0.1:{backup}/backup")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
