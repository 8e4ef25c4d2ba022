using System.Text.Json;
using Microsoft.Extensions.Logging;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Configuration;
using MysqlAgent.Storage;
using MySqlConnector;

namespace MysqlAgent.Archive.Verification;

/// <summary>
/// <c>verify</c>: restores a backup into an empty scratch <c>--data-dir</c> along the restore's own
/// path (stream, checksums, prepare), starts a socket-only server on it (the replay's server, no
/// network, no grant checks), runs <c>CHECK TABLE</c> on every base table outside
/// information_schema and performance_schema, shuts it down cleanly and records the result beside
/// the backup. The scratch folder is removed whatever happened; one that was not empty at the
/// start is refused and never touched.
/// </summary>
public sealed class BackupVerifier(
    AgentOptions options,
    IBackupStorage storage,
    TimeProvider time,
    ILogger logger
)
{
    /// <param name="backupId">The backup to verify; null = the newest.</param>
    public async Task<BackupVerification> RunAsync(
        string? backupId,
        CancellationToken cancellationToken
    )
    {
        var scratch = options.DataDir;
        EmptyDataDir.Require(
            scratch,
            "verify restores into an empty scratch folder it deletes afterwards; give one with room for the backup"
        );

        var created = !Directory.Exists(scratch);
        var started = time.GetTimestamp();
        var id = backupId ?? "(newest)";
        try
        {
            var manifest = await new RestoreFromStorage(options, storage, time, logger)
                .RunAsync(backupId, cancellationToken)
                .ConfigureAwait(false);
            id = manifest.Id;
            var (version, tables) = await CheckAsync(manifest, cancellationToken)
                .ConfigureAwait(false);
            var record = new BackupVerification
            {
                BackupId = manifest.Id,
                VerifiedAt = time.GetUtcNow(),
                ServerVersion = version,
                TablesChecked = tables,
                Seconds = Math.Round(time.GetElapsedTime(started).TotalSeconds, 1),
            };
            var json = JsonSerializer.SerializeToUtf8Bytes(
                record,
                ArchiveJsonContext.Default.BackupVerification
            );
            var key = BackupKeys.Verification(manifest.Id);
            using (var body = new MemoryStream(json, writable: false))
            {
                await storage
                    .PutAsync(key, body, json.Length, cancellationToken)
                    .ConfigureAwait(false);
            }

            VerificationLog.Verified(
                logger,
                manifest.Id,
                storage.Location,
                version,
                tables,
                record.Seconds,
                key
            );
            return record;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            VerificationLog.Failed(logger, id, storage.Location, e.Message);
            throw e as RestoreFailedException
                ?? new RestoreFailedException(
                    $"verify of backup {id} from {storage.Location} failed: {e.Message}",
                    e
                );
        }
        finally
        {
            Remove(scratch, created);
        }
    }

    private async Task<(string Version, int Tables)> CheckAsync(
        BackupManifest manifest,
        CancellationToken cancellationToken
    )
    {
        var tools = ReplayTools.For(manifest.Flavour, options);
        var name =
            "mysql-agent-verify-"
            + Convert.ToHexStringLower(
                System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)
            );
        var socket = Path.Combine(Path.GetTempPath(), name + ".sock");
        var pidFile = Path.Combine(Path.GetTempPath(), name + ".pid");
        var server = await ReplayServer
            .StartAsync(
                tools.Server,
                ReplayCommands.ServerArguments(
                    manifest.Flavour,
                    options.DataDir,
                    socket,
                    pidFile,
                    manifest.ServerId,
                    string.Equals(Environment.UserName, "root", StringComparison.Ordinal)
                ),
                socket,
                time,
                cancellationToken
            )
            .ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            string version;
            var checkedTables = 0;
            var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                version = await ScalarAsync(connection, "SELECT VERSION()", cancellationToken)
                    .ConfigureAwait(false);
                foreach (
                    var table in await TablesAsync(connection, cancellationToken)
                        .ConfigureAwait(false)
                )
                {
                    await CheckTableAsync(connection, table, cancellationToken)
                        .ConfigureAwait(false);
                    checkedTables++;
                }
            }

            await server.StopAsync(cancellationToken).ConfigureAwait(false);
            return (version, checkedTables);
        }
    }

    private static async Task<List<string>> TablesAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        var tables = new List<string>();
        var command = new MySqlCommand(
            "SELECT CONCAT('`', REPLACE(TABLE_SCHEMA, '`', '``'), '`.`', REPLACE(TABLE_NAME, '`', '``'), '`')"
                + " FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'"
                + " AND TABLE_SCHEMA NOT IN ('information_schema', 'performance_schema')"
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME",
            connection
        );
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tables.Add(reader.GetString(0));
                }
            }
        }

        return tables;
    }

    /// <summary>Any row of <c>CHECK TABLE</c> whose type is <c>error</c> fails the verification, naming the table.</summary>
    private static async Task CheckTableAsync(
        MySqlConnection connection,
        string table,
        CancellationToken cancellationToken
    )
    {
        var command = new MySqlCommand("CHECK TABLE " + table, connection) { CommandTimeout = 0 };
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var type = reader.GetString(2);
                    if (string.Equals(type, "error", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new RestoreFailedException(
                            $"CHECK TABLE {table} on the restored backup: {reader.GetString(3)}"
                        );
                    }
                }
            }
        }
    }

    private static async Task<string> ScalarAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        var command = new MySqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            return Convert.ToString(
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                    System.Globalization.CultureInfo.InvariantCulture
                ) ?? "";
        }
    }

    /// <summary>The scratch folder held nothing before: everything in it is the restore's.</summary>
    private void Remove(string scratch, bool created)
    {
        try
        {
            if (!Directory.Exists(scratch))
            {
                return;
            }

            if (created)
            {
                Directory.Delete(scratch, recursive: true);
                return;
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(scratch).ToList())
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            VerificationLog.ScratchLeft(logger, scratch, e.Message);
        }
    }
}
