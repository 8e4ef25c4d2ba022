using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MysqlAgent.Backup;
using MysqlAgent.IntegrationTests.Hosting;
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

    public InProcessAgent Agent { get; private set; } = null!;

    public int BackupPort => Agent.Options.BackupPort;

    /// <summary>
    /// Until the donor serves no backup: the stream of a test that cut or abandoned it can still be
    /// ending, and a test that counts its attempts must not meet a 429 it did not cause.
    /// </summary>
    public Task WaitUntilIdleAsync() =>
        Eventually.UntilAsync(
            () => Agent.Services.GetRequiredService<BackupConcurrencyLimiter>().Active == 0,
            "the donor serves no backup"
        );

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
        Agent = BuildAgent(Server, FreePorts.Next());
        await Agent.StartAsync();
    }

    /// <summary>
    /// A donor agent for <paramref name="server"/> on <paramref name="backupPort"/>, not started yet,
    /// with <paramref name="extraArguments"/> after the donor's own (TLS files, another limit).
    /// </summary>
    public static InProcessAgent BuildAgent(
        MariaDbServer server,
        int backupPort,
        string token = Token,
        params IEnumerable<string> extraArguments
    ) =>
        InProcessAgent.Build(
            InProcessAgent.ReadCommandLine(
                [
                    "--hostname",
                    "mysql-0",
                    "--backup-port",
                    backupPort.ToString(CultureInfo.InvariantCulture),
                    "--http-port",
                    FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                    "--bind-address",
                    "127.0.0.1",
                    "--mysql-port",
                    server.Port.ToString(CultureInfo.InvariantCulture),
                    "--backup-user",
                    "root",
                    "--backup-tool",
                    "mariabackup",
                    "--max-concurrent-backups",
                    "1",
                    "--log-level",
                    "Warning",
                    .. extraArguments,
                ],
                new AgentSecrets(
                    AdminPassword: server.RootPassword,
                    ReplicationPassword: "unused",
                    BackupPassword: server.RootPassword,
                    BackupToken: token
                )
            )
        );

    /// <summary>
    /// Boots <paramref name="dataDir"/> (a finished clone) with the donor's root password and checks
    /// that its tables carry <paramref name="checksums"/>, the donor's.
    /// </summary>
    public static async Task AssertBootsWithChecksumsAsync(
        string dataDir,
        int serverId,
        MariaDbServer donor,
        IReadOnlyList<string> checksums
    )
    {
        await using var clone = await MariaDbServer.StartAsync(
            new MariaDbServerOptions
            {
                ServerId = serverId,
                DataDir = dataDir,
                RootPassword = donor.RootPassword,
            }
        );
        Assert.Equal(checksums, await ChecksumsAsync(clone));
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
            await Agent.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
