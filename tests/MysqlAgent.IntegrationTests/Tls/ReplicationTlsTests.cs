using MysqlAgent.Health;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.IntegrationTests.Replication;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Tls;

/// <summary>
/// Replication over TLS between two real mariadbd: the primary serves TLS from the Secret's files,
/// the agent points the replica at it with MASTER_SSL, the CA and server-certificate verification,
/// and the primary sees a cipher on the replica's connection.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReplicationTlsTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.Create();
    private readonly string _root = Directory
        .CreateTempSubdirectory("mysql-agent-repl-tls-")
        .FullName;

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private TlsFileSet Files(string pod, TestCertificateAuthority? ca = null)
    {
        var authority = ca ?? _ca;
        using var certificate = authority.Issue([$"{pod}.mysql"]);
        return authority.Write(
            Path.Combine(_root, pod + (ca is null ? "" : "-other")),
            certificate
        );
    }

    private static IReadOnlyList<string> ServerTlsArgs(TlsFileSet files) =>
        [$"--ssl-cert={files.CertFile}", $"--ssl-key={files.KeyFile}", $"--ssl-ca={files.CaFile}"];

    /// <summary>A primary serving TLS, with performance_schema on to see its sessions' ciphers, and its users made by its agent.</summary>
    private static async Task<MariaDbServer> StartPrimaryAsync(TlsFileSet files)
    {
        var primary = await MariaDbServer.StartAsync(
            new MariaDbServerOptions
            {
                ServerId = 100,
                ExtraArgs = [.. ServerTlsArgs(files), "--performance-schema=ON"],
            }
        );
        try
        {
            await using var agent = await InProcessAgent.StartAsync(
                AgentArguments.For(0, primary, primary) with
                {
                    Extra = files.Arguments,
                }
            );
            var setup = await agent.WaitForSetupAsync(Wait);
            Assert.Equal(ReplicationSetupState.NotNeeded, setup.State);
            return primary;
        }
        catch
        {
            await primary.DisposeAsync();
            throw;
        }
    }

    private static async Task<MariaDbServer> BootReplicaAsync(
        MariaDbServer primary,
        TlsFileSet files
    ) =>
        await MariaDbServer.StartAsync(
            new MariaDbServerOptions
            {
                ServerId = 101,
                DataDir = await ManualClone.TakeAsync(primary),
                DeleteDataDirOnDispose = true,
                RootPassword = primary.RootPassword,
                ExtraArgs = ServerTlsArgs(files),
            }
        );

    [Fact(Timeout = 300_000)]
    public async Task A_replica_set_up_with_the_CA_replicates_over_TLS_and_the_primary_sees_a_cipher_on_its_connection()
    {
        await using var primary = await StartPrimaryAsync(Files("mysql-0"));
        var table = await Primaries.CreateTableAsync(primary, "tls");
        await ReplicaProbe.InsertRowsAsync(primary, table, 1, 10);
        var replicaFiles = Files("mysql-1");
        await using var replica = await BootReplicaAsync(primary, replicaFiles);

        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.For(1, replica, primary) with
            {
                Extra = replicaFiles.Arguments,
            }
        );
        var setup = await agent.WaitForSetupAsync(Wait);
        Assert.True(
            setup.State == ReplicationSetupState.Done,
            $"{setup.StateName}: {setup.Reason}"
        );
        await ReplicaProbe.InsertRowsAsync(primary, table, 11, 10);
        await ReplicaProbe.WaitForSameRowsAsync(primary, replica, table, Wait);

        var status = await ReplicaProbe.SlaveStatusAsync(replica);
        Assert.Equal("Yes", status["Master_SSL_Allowed"]);
        Assert.Equal("Yes", status["Master_SSL_Verify_Server_Cert"]);
        Assert.Equal(replicaFiles.CaFile, status["Master_SSL_CA_File"]);

        // The replica's IO thread as the primary sees it: the 'Binlog Dump' session of the repl user.
        var cipher = await Eventually.ValueAsync(
            () =>
                primary.ScalarAsync<string>(
                    "SELECT s.VARIABLE_VALUE FROM performance_schema.threads t JOIN performance_schema.status_by_thread s ON s.THREAD_ID = t.THREAD_ID AND s.VARIABLE_NAME = 'Ssl_cipher' WHERE t.PROCESSLIST_USER = 'repl' AND t.PROCESSLIST_COMMAND LIKE 'Binlog Dump%' LIMIT 1"
                ),
            value => !string.IsNullOrEmpty(value),
            "the primary shows a TLS cipher on the replica's binlog dump connection",
            Wait
        );
        output.WriteLine($"Ssl_cipher of the replica's connection on the primary: {cipher}");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_replica_whose_CA_did_not_sign_the_primary_stops_with_a_permanent_TLS_error()
    {
        await using var primary = await StartPrimaryAsync(Files("mysql-0"));
        using var otherCa = TestCertificateAuthority.Create("some other CA");
        var replicaFiles = Files("mysql-1", otherCa);
        await using var replica = await BootReplicaAsync(primary, Files("mysql-1"));

        await using var agent = await InProcessAgent.StartAsync(
            AgentArguments.For(1, replica, primary) with
            {
                Extra = replicaFiles.Arguments,
            }
        );
        var setup = await agent.WaitForSetupAsync(Wait);

        output.WriteLine($"{setup.StateName}: {setup.Reason}");
        Assert.Equal(ReplicationSetupState.FailedPermanently, setup.State);
        Assert.Contains("failed TLS verification", setup.Reason, StringComparison.Ordinal);
        Assert.Empty(
            (await ReplicaProbe.SlaveStatusAsync(replica)).GetValueOrDefault("Master_Host") ?? ""
        );
    }
}
