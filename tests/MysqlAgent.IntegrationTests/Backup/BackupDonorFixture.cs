using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlAgent.IntegrationTests.Backup;

/// <summary>
/// One real mariadbd for the backup-serving tests: a small buffer pool, ~8 MB of rows (so that a
/// stream does not fit in the socket buffers and a stalled receiver really stalls the tool), and a
/// backup user whose password needs every kind of quoting an option file has.
/// </summary>
public sealed class BackupDonorFixture : IAsyncLifetime
{
    public const string BackupUser = "backup";

    /// <summary>'#' starts a comment, '"' and '\' need escapes, spaces and ';' need quotes.</summary>
    public const string BackupPassword = "p#a\"ss\\ w'rd;x";

    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 1, InnodbBufferPoolSize = "16M" }
        );
        await using var connection = await _server.OpenConnectionAsync();
        string[] statements =
        [
            $"CREATE USER '{BackupUser}'@'127.0.0.1' IDENTIFIED BY @password",
            $"GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR ON *.* TO '{BackupUser}'@'127.0.0.1'",
            "CREATE DATABASE shop",
            "CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, body BLOB NOT NULL) ENGINE=InnoDB",
            "INSERT INTO shop.items (body) SELECT REPEAT(MD5(seq), 32) FROM shop.seq_1_to_8000",
        ];
        foreach (var sql in statements)
        {
            await using var command = new MySqlCommand(sql, connection);
            command.Parameters.AddWithValue("@password", BackupPassword);
            await command.ExecuteNonQueryAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
