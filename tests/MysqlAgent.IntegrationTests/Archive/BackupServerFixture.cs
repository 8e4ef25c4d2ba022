using System.Globalization;
using MysqlAgent.Configuration;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.IntegrationTests.Storage;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>
/// A MariaDB primary with a few MB of rows and a small write load that keeps committing while the
/// backups run, plus a moto_server for the S3 target.
/// </summary>
public sealed class BackupServerFixture : IAsyncLifetime
{
    private readonly CancellationTokenSource _stopLoad = new();
    private Task _load = Task.CompletedTask;
    private long _loadRows;

    public MariaDbServer Server { get; private set; } = null!;

    public MotoFixture Moto { get; } = new();

    /// <summary>Rows the write load has committed so far.</summary>
    public long LoadRows => Interlocked.Read(ref _loadRows);

    public async Task InitializeAsync()
    {
        Server = await MariaDbServer.StartAsync(new MariaDbServerOptions { ServerId = 100 });
        await Server.ExecuteAsync(
            "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY AUTO_INCREMENT, note VARCHAR(255)) ENGINE=InnoDB;"
                + " INSERT INTO shop.orders (note) SELECT CONCAT(REPEAT(MD5(seq), 6), seq) FROM shop.seq_1_to_20000;"
                // 8 MB that no compression shrinks: the stream is larger than one 5 MiB part.
                + " CREATE TABLE shop.blobs (id INT PRIMARY KEY, b BLOB) ENGINE=InnoDB; INSERT INTO shop.blobs SELECT seq, RANDOM_BYTES(1024) FROM shop.seq_1_to_8000;"
                + " CREATE TABLE shop.load (id INT PRIMARY KEY AUTO_INCREMENT, at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB;"
        );
        await Moto.InitializeAsync();
        _load = Task.Run(async () =>
        {
            while (!_stopLoad.IsCancellationRequested)
            {
                try
                {
                    await Server.ExecuteAsync(
                        "INSERT INTO shop.load () VALUES ()",
                        _stopLoad.Token
                    );
                    Interlocked.Increment(ref _loadRows);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        await Eventually.UntilAsync(() => LoadRows > 10, "the write load commits rows");
    }

    public IReadOnlyList<string> Arguments(string target, params IEnumerable<string> extra) =>
        [
            "--hostname",
            "mysql-0",
            "--data-dir",
            Server.DataDir,
            "--mysql-port",
            Server.Port.ToString(CultureInfo.InvariantCulture),
            "--backup-user",
            "root",
            "--backup-tool",
            "mariabackup",
            "--target",
            target,
            "--log-level",
            "Warning",
            .. extra,
        ];

    public AgentSecrets Secrets =>
        new(
            AdminPassword: Server.RootPassword,
            ReplicationPassword: "unused",
            BackupPassword: Server.RootPassword,
            BackupToken: "unused"
        );

    public AgentOptions Options(string target, params IEnumerable<string> extra) =>
        InProcessAgent.ReadCommandLine(Arguments(target, extra), Secrets);

    public async Task DisposeAsync()
    {
        await _stopLoad.CancelAsync();
        await _load;
        await Moto.DisposeAsync();
        await Server.DisposeAsync();
        _stopLoad.Dispose();
    }
}
