using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>
/// A MariaDB primary with one full backup in a folder storage, then four commits, each in a later
/// second than the one before (by the server's clock), and its binlogs archived by the real
/// <see cref="BinlogArchiver"/> after commits 1, 3 and 4: three archived files, the middle one
/// holding commits 2 and 3. A user is created just before commit 4.
/// </summary>
public sealed class PointInTimeServerFixture : IAsyncLifetime
{
    public MariaDbServer Server { get; private set; } = null!;

    public string StorageRoot { get; } = Directory.CreateTempSubdirectory("pitr-storage-").FullName;

    public IBackupStorage Storage => new FolderBackupStorage(StorageRoot);

    public BackupManifest Backup { get; private set; } = null!;

    /// <summary>Commit i (1-based at index i-1): the row's id, the GTID position after it, and its binlog time (UTC).</summary>
    public List<(int Id, string Gtid, DateTimeOffset At)> Commits { get; } = [];

    public async Task InitializeAsync()
    {
        Server = await MariaDbServer.StartAsync(new MariaDbServerOptions { ServerId = 100 });
        await Server.ExecuteAsync(
            "CREATE DATABASE pitr; CREATE TABLE pitr.t (id INT PRIMARY KEY, at DATETIME NOT NULL) ENGINE=InnoDB;"
        );
        var options = Options();
        Backup = await BackupJobs.For(options, Storage).RunAsync(default);

        var archiver = new BinlogArchiver(
            options,
            Storage,
            new LocalServer(options),
            TimeProvider.System,
            NullLogger.Instance
        );
        var after = await ServerNowAsync();
        for (var id = 1; id <= 4; id++)
        {
            // Binlog times have whole seconds: each commit in a later second than the last.
            if (id == 4)
            {
                // Replayed under --skip-grant-tables only because the session starts with FLUSH PRIVILEGES.
                await Server.ExecuteAsync("CREATE USER 'app'@'%' IDENTIFIED BY 'app-password'");
            }

            var previous = after;
            await Eventually.UntilAsync(
                async () => await ServerNowAsync() > previous,
                "the server's clock passes a second boundary"
            );
            await Server.ExecuteAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"INSERT INTO pitr.t VALUES ({id}, UTC_TIMESTAMP())"
                )
            );
            var at = await Server.ScalarAsync<DateTime>(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"SELECT at FROM pitr.t WHERE id = {id}"
                )
            );
            var gtid = await Server.ScalarAsync<string>("SELECT @@gtid_binlog_pos");
            Commits.Add((id, gtid!, new DateTimeOffset(at, TimeSpan.Zero)));
            after = at;
            if (id != 2)
            {
                await archiver.ArchiveAsync(term: 1, forceRotation: true, default);
            }
        }
    }

    public AgentOptions Options(string? dataDir = null)
    {
        var options = InProcessAgent.ReadCommandLine(
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
                "file:" + StorageRoot,
                "--log-level",
                "Warning",
            ],
            new AgentSecrets(
                AdminPassword: Server.RootPassword,
                ReplicationPassword: "unused",
                BackupPassword: Server.RootPassword,
                BackupToken: "unused"
            )
        );
        return dataDir is null ? options : options with { DataDir = dataDir };
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(StorageRoot, recursive: true);
    }

    private async Task<DateTime> ServerNowAsync() =>
        await Server.ScalarAsync<DateTime>("SELECT UTC_TIMESTAMP()");
}
