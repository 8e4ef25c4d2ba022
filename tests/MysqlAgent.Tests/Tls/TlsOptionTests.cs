using System.Net;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;
using Polly;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Tests.Tls;

/// <summary>The --tls-* options: all or nothing for a server, each bad file named at startup; and the size limit on a peer's /status.</summary>
public sealed class TlsOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tls-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Func<string, string?> Secrets =>
        name =>
            name switch
            {
                "MYSQL_AGENT_BACKUP_TOKEN" => "t",
                "MYSQL_AGENT_ADMIN_PASSWORD" => "a",
                "MYSQL_AGENT_REPLICATION_PASSWORD" => "r",
                "MYSQL_AGENT_BACKUP_PASSWORD" => "b",
                _ => null,
            };

    private static AgentOptions Read(params string[] args) =>
        AgentOptionsReader.Read(OptionValues.Parse(["--hostname", "mysql-1", .. args], Secrets));

    private TlsFileSet Files()
    {
        using var ca = TestCertificateAuthority.Create();
        using var certificate = ca.Issue(["mysql-1.mysql"]);
        return ca.Write(_dir, certificate);
    }

    [Fact]
    public void Without_TLS_options_TLS_is_off()
    {
        Assert.Null(Read().Tls);
    }

    [Fact]
    public void The_three_files_of_the_Secret_turn_TLS_on()
    {
        var files = Files();
        var tls = Read([.. files.Arguments]).Tls;
        Assert.NotNull(tls);
        Assert.True(tls.HasCertificate);
        Assert.Equal(files.CaFile, tls.CaFile);
    }

    [Fact]
    public void A_certificate_without_the_CA_is_refused_with_the_option_to_add()
    {
        var files = Files();
        var e = Assert.Throws<ConfigurationException>(() =>
            Read("--tls-cert-file", files.CertFile, "--tls-key-file", files.KeyFile)
        );
        Assert.Contains("--tls-ca-file is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_its_key_is_refused()
    {
        var files = Files();
        var e = Assert.Throws<ConfigurationException>(() =>
            Read("--tls-cert-file", files.CertFile, "--tls-ca-file", files.CaFile)
        );
        Assert.Contains("without --tls-key-file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_PEM_is_named_at_startup()
    {
        var files = Files();
        var bad = Path.Combine(_dir, "not-a-ca.crt");
        File.WriteAllText(bad, "hello");
        var e = Assert.Throws<ConfigurationException>(() =>
            Read(
                "--tls-cert-file",
                files.CertFile,
                "--tls-key-file",
                files.KeyFile,
                "--tls-ca-file",
                bad
            )
        );
        Assert.Contains($"--tls-ca-file: cannot load {bad}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_needs_a_certificate_when_only_the_CA_is_given()
    {
        var files = Files();
        var options = Read("--tls-ca-file", files.CaFile);
        Assert.Contains(
            new MysqlAgent.Commands.ServeCommand().Validate(options),
            p => p.Contains("serve needs all three", StringComparison.Ordinal)
        );
        Assert.Empty(new MysqlAgent.Commands.CloneCommand().Validate(options));
    }

    [Fact]
    public async Task A_peers_status_larger_than_the_limit_is_not_read()
    {
        var small = """{"ready":true,"role":"replica"}""";
        var large =
            "{\"ready\":true,\"note\":\"" + new string('x', PeerStatusClient.MaxBodyBytes) + "\"}";

        Assert.NotNull(await StatusFromAsync(small));
        Assert.Null(await StatusFromAsync(large));
        Assert.Null(await StatusFromAsync(large, chunked: true));
    }

    private static async Task<PeerStatus?> StatusFromAsync(string body, bool chunked = false)
    {
        using var http = new HttpClient(new FixedBody(body, chunked));
        var client = new PeerStatusClient(
            http,
            ConnectToMap.Parse([], []),
            ResiliencePipeline.Empty
        );
        return await client.GetAsync(new Endpoint("mysql-2.mysql", 8080), CancellationToken.None);
    }

    private sealed class FixedBody(string body, bool chunked) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        )
        {
            HttpContent content = chunked
                ? new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)))
                : new StringContent(body);
            return Task.FromResult(
                new HttpResponseMessage(HttpStatusCode.OK) { Content = content }
            );
        }
    }
}
