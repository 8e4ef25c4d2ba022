using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using MysqlAgent.IntegrationTests.Clone;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Tls;

/// <summary>
/// TLS on the backup port against a real donor (mariadbd, mariabackup, mbstream) with a CA made in
/// the test: the clone verifies the donor's certificate against the CA and its stable name, and a
/// bad certificate fails at once with one line and starts no backup.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TlsCloneTests : IClassFixture<TlsCloneTests.Primary>, IDisposable
{
    private const int Generous = 180_000;

    private static readonly CloneRetryPolicy Quick = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(50),
        MaxDelay = TimeSpan.FromMilliseconds(400),
        StatusTimeout = TimeSpan.FromSeconds(1),
    };

    private readonly Primary _primary;
    private readonly ITestOutputHelper _output;
    private readonly string _root = Path.Combine(
        Path.GetTempPath(),
        "tls-clone-it-" + Guid.NewGuid().ToString("N")[..8]
    );

    public TlsCloneTests(Primary primary, ITestOutputHelper output)
    {
        _primary = primary;
        _output = output;
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A MariaDB primary with a few rows, and the set's CA.</summary>
    public sealed class Primary : IAsyncLifetime
    {
        public MariaDbServer Server { get; private set; } = null!;

        public TestCertificateAuthority Ca { get; } = TestCertificateAuthority.Create();

        public IReadOnlyList<string> Checksums { get; private set; } = [];

        public async Task InitializeAsync()
        {
            Server = await MariaDbServer.StartAsync(new MariaDbServerOptions { ServerId = 100 });
            await Server.ExecuteAsync(
                "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY AUTO_INCREMENT, note VARCHAR(255), amount DECIMAL(10,2)) ENGINE=InnoDB; CREATE TABLE shop.customers (id INT PRIMARY KEY, name TEXT) ENGINE=InnoDB; INSERT INTO shop.orders (note, amount) SELECT CONCAT(REPEAT(MD5(seq), 6), seq), seq / 100 FROM shop.seq_1_to_5000; INSERT INTO shop.customers SELECT seq, REPEAT('x', seq % 500) FROM shop.seq_1_to_500;"
            );
            Checksums = await DonorFixture.ChecksumsAsync(Server);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Ca.Dispose();
        }
    }

    private TlsFileSet Files(
        string name,
        X509Certificate2 certificate,
        TestCertificateAuthority? ca = null
    )
    {
        using (certificate)
        {
            return (ca ?? _primary.Ca).Write(Path.Combine(_root, name), certificate);
        }
    }

    /// <summary>The clone's options: pod mysql-N whose donor mysql-(N-1).mysql:3307 is mapped to the donor's port.</summary>
    private static AgentOptions CloneOptions(
        string dataDir,
        int donorPort,
        TlsFileSet tls,
        bool withClientCertificate,
        string token = TlsDonor.Token,
        int ordinal = 1
    )
    {
        List<string> args =
        [
            "--hostname",
            $"mysql-{ordinal}",
            "--data-dir",
            dataDir,
            "--clone-deadline-seconds",
            "60",
            "--connect-to",
            $"mysql-{ordinal - 1}.mysql:3307:127.0.0.1:{donorPort.ToString(CultureInfo.InvariantCulture)}",
            "--tls-ca-file",
            tls.CaFile,
        ];
        if (withClientCertificate)
        {
            args.AddRange(["--tls-cert-file", tls.CertFile, "--tls-key-file", tls.KeyFile]);
        }

        return AgentOptionsReader.Read(OptionValues.Parse(args, TlsDonor.Environment(token)));
    }

    private static async Task<CloneOutcome> CloneAsync(AgentOptions options, RecordingLogger logger)
    {
        using var http = DonorClient.CreateHttpClient(options.Tls);
        var job = new CloneJob(options, logger, TimeProvider.System, http, Quick);
        return await job.RunAsync(CancellationToken.None);
    }

    private TlsFileSet DonorFiles(string name = "donor") =>
        Files(
            name,
            _primary.Ca.Issue(["mysql-0.mysql", "mysql-0.mysql.default.svc.cluster.local"])
        );

    [Fact(Timeout = Generous)]
    public async Task A_clone_over_TLS_verifies_the_donor_and_boots_with_the_same_checksums()
    {
        await using var donor = await TlsDonor.StartAsync(_primary.Server, DonorFiles());
        var clientFiles = Files("client-ca-only", _primary.Ca.Issue(["mysql-1.mysql"]));
        var dataDir = Path.Combine(_root, "data");
        var logger = new RecordingLogger(_output);

        var outcome = await CloneAsync(
            CloneOptions(dataDir, donor.BackupPort, clientFiles, withClientCertificate: false),
            logger
        );

        Assert.Equal(CloneOutcome.Cloned, outcome);
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(dataDir).Kind);
        Assert.Equal(1, donor.StreamsStarted);
        await DonorFixture.AssertBootsWithChecksumsAsync(
            dataDir,
            101,
            _primary.Server,
            _primary.Checksums
        );
    }

    [Fact(Timeout = Generous)]
    public async Task A_client_certificate_signed_by_the_CA_stands_in_for_the_token()
    {
        await using var donor = await TlsDonor.StartAsync(_primary.Server, DonorFiles());
        var clientFiles = Files("client", _primary.Ca.Issue(["mysql-1.mysql"]));
        var dataDir = Path.Combine(_root, "data-mtls");

        var outcome = await CloneAsync(
            CloneOptions(
                dataDir,
                donor.BackupPort,
                clientFiles,
                withClientCertificate: true,
                token: "not-the-donors-token"
            ),
            new RecordingLogger(_output)
        );

        Assert.Equal(CloneOutcome.Cloned, outcome);
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(dataDir).Kind);
    }

    [Fact(Timeout = Generous)]
    public async Task Without_a_client_certificate_the_token_still_applies()
    {
        await using var donor = await TlsDonor.StartAsync(_primary.Server, DonorFiles());
        var clientFiles = Files("client-no-cert", _primary.Ca.Issue(["mysql-1.mysql"]));

        var e = await Assert.ThrowsAsync<BackupTokenRejectedException>(() =>
            CloneAsync(
                CloneOptions(
                    Path.Combine(_root, "data-token"),
                    donor.BackupPort,
                    clientFiles,
                    withClientCertificate: false,
                    token: "not-the-donors-token"
                ),
                new RecordingLogger(_output)
            )
        );
        Assert.Contains("401", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, donor.StreamsStarted);
    }

    public static TheoryData<string> BadDonorCertificates =>
        ["wrong CA", "expired", "wrong host name"];

    [Theory(Timeout = Generous)]
    [MemberData(nameof(BadDonorCertificates))]
    public async Task A_donor_certificate_that_does_not_verify_fails_at_once_with_one_line_and_starts_no_backup(
        string fault
    )
    {
        using var otherCa = TestCertificateAuthority.Create("some other CA");
        var now = TimeProvider.System.GetUtcNow();
        var donorFiles = fault switch
        {
            "wrong CA" => Files("donor-other-ca", otherCa.Issue(["mysql-0.mysql"]), otherCa),
            "expired" => Files(
                "donor-expired",
                _primary.Ca.Issue(["mysql-0.mysql"], now.AddDays(-30), now.AddDays(-1))
            ),
            _ => Files(
                "donor-other-name",
                _primary.Ca.Issue(["mysql-7.mysql"], includeLoopback: true)
            ),
        };
        await using var donor = await TlsDonor.StartAsync(_primary.Server, donorFiles);
        var clientFiles = Files(
            "client-" + fault.Replace(' ', '-'),
            _primary.Ca.Issue(["mysql-1.mysql"])
        );
        var dataDir = Path.Combine(_root, "data-bad");
        var logger = new RecordingLogger(_output);

        var e = await Assert.ThrowsAsync<DonorCertificateRejectedException>(() =>
            CloneAsync(
                CloneOptions(dataDir, donor.BackupPort, clientFiles, withClientCertificate: true),
                logger
            )
        );

        _output.WriteLine(e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("mysql-0.mysql:3307", e.Message, StringComparison.Ordinal);
        Assert.Contains(
            fault switch
            {
                "wrong CA" => "is not signed by the CA in --tls-ca-file",
                "expired" => "is expired or not yet valid",
                _ => "is not for mysql-0.mysql",
            },
            e.Message,
            StringComparison.Ordinal
        );
        Assert.Equal(0, logger.Count(1003)); // no retry: it failed at once
        Assert.Equal(0, donor.StreamsStarted);
        Assert.NotEqual(DataDirKind.CompleteClone, DataDirState.Inspect(dataDir).Kind);
    }

    [Fact(Timeout = Generous)]
    public async Task Plain_HTTP_to_the_TLS_backup_port_is_refused_and_starts_no_backup()
    {
        await using var donor = await TlsDonor.StartAsync(_primary.Server, DonorFiles());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri(
                $"http://127.0.0.1:{donor.BackupPort.ToString(CultureInfo.InvariantCulture)}/backup"
            )
        );
        request.Headers.Authorization = new("Bearer", TlsDonor.Token);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(request));
        Assert.Equal(0, donor.StreamsStarted);
    }

    [Fact(Timeout = Generous)]
    public async Task A_certificate_replaced_on_disk_is_served_from_the_next_connection_without_a_restart()
    {
        var files = DonorFiles("donor-rotating");
        await using var donor = await TlsDonor.StartAsync(_primary.Server, files);
        var before = await PresentedSerialAsync(donor.BackupPort);
        Assert.Equal(ReadSerial(files.CertFile), before);

        using var renewed = _primary.Ca.Issue(["mysql-0.mysql"]);
        TestCertificateAuthority.WriteCertificate(files.CertFile, files.KeyFile, renewed);

        var after = await PresentedSerialAsync(donor.BackupPort);
        Assert.Equal(renewed.SerialNumber, after);
        Assert.NotEqual(before, after);
    }

    private static string ReadSerial(string certFile)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certFile));
        return certificate.SerialNumber;
    }

    /// <summary>The serial number of the certificate the port presents to a new connection.</summary>
    private async Task<string> PresentedSerialAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var ssl = new SslStream(
            tcp.GetStream(),
            false,
            (_, certificate, _, _) =>
                new MysqlAgent.Tls.PeerCertificateVerifier(_primary.Ca.Certificate).Check(
                    certificate as X509Certificate2,
                    "mysql-0.mysql"
                )
                    is null
        );
        await ssl.AuthenticateAsClientAsync("mysql-0.mysql");
        using var presented = new X509Certificate2(ssl.RemoteCertificate!);
        return presented.SerialNumber;
    }
}
