using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MysqlAgent.Backup;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Clone;

/// <summary>
/// A real donor shared by the clone tests: a MariaDB primary holding a few MB of rows, and a
/// mysql-agent serving its backups (<c>serve</c>, as in a pod) with a limit of one backup at once.
/// </summary>
public sealed class DonorFixture : IAsyncLifetime
{
    public const string Token = "clone-test-token";

    public MariaDbServer Server { get; private set; } = null!;

    public WebApplication Agent { get; private set; } = null!;

    public int BackupPort { get; private set; }

    /// <summary>
    /// Until the donor serves no backup: the stream of a test that cut or abandoned it can still be
    /// ending, and a test that counts its attempts must not meet a 429 it did not cause.
    /// </summary>
    public async Task WaitUntilIdleAsync()
    {
        var limiter = Agent.Services.GetRequiredService<BackupConcurrencyLimiter>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (limiter.Active > 0)
        {
            Assert.True(
                DateTime.UtcNow < deadline,
                "the donor still serves a backup after a minute"
            );
            await Task.Delay(50);
        }
    }

    public IReadOnlyList<string> Checksums { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Server = await MariaDbServer.StartAsync(new MariaDbServerOptions { ServerId = 100 });
        await Server.ExecuteAsync(
            "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY AUTO_INCREMENT, note VARCHAR(255), amount DECIMAL(10,2)) ENGINE=InnoDB;"
        );
        // About 4 MB: enough for several 1 MiB frames, small enough to clone in a second or two.
        await Server.ExecuteAsync(
            "INSERT INTO shop.orders (note, amount) SELECT CONCAT(REPEAT(MD5(seq), 6), seq), seq / 100 FROM shop.seq_1_to_20000;"
        );
        await Server.ExecuteAsync(
            "CREATE TABLE shop.customers (id INT PRIMARY KEY, name TEXT) ENGINE=InnoDB; INSERT INTO shop.customers SELECT seq, REPEAT('x', seq % 500) FROM shop.seq_1_to_2000;"
        );
        Checksums = await ChecksumsAsync(Server);
        (Agent, BackupPort) = await StartAgentAsync(Server, port: null);
    }

    /// <summary>A donor agent for <paramref name="server"/>, started now, or built only when <paramref name="start"/> is false.</summary>
    public static async Task<(WebApplication App, int BackupPort)> StartAgentAsync(
        MariaDbServer server,
        int? port,
        bool start = true
    )
    {
        var backupPort = port ?? FreePorts.Next();
        string[] args =
        [
            "--hostname",
            "mysql-0",
            "--backup-port",
            backupPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--http-port",
            FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind-address",
            "127.0.0.1",
            "--mysql-port",
            server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--backup-user",
            "root",
            "--backup-tool",
            "mariabackup",
            "--max-concurrent-backups",
            "1",
            "--log-level",
            "Warning",
        ];
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(
                args,
                new AgentSecrets(
                    AdminPassword: server.RootPassword,
                    ReplicationPassword: "unused",
                    BackupPassword: server.RootPassword,
                    BackupToken: Token
                ).Environment
            )
        );
        var app = ServeCommand.Build(options, Prometheus.Metrics.NewCustomRegistry());
        if (start)
        {
            await app.StartAsync();
        }

        return (app, backupPort);
    }

    public static async Task<IReadOnlyList<string>> ChecksumsAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CHECKSUM TABLE shop.orders, shop.customers EXTENDED";
        await using var reader = await command.ExecuteReaderAsync();
        var sums = new List<string>();
        while (await reader.ReadAsync())
        {
            sums.Add($"{reader.GetString(0)}={reader.GetValue(1)}");
        }

        return sums;
    }

    public async Task DisposeAsync()
    {
        if (Agent is not null)
        {
            await Agent.StopAsync();
            await Agent.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
