using System.Globalization;
using MySqlConnector;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// Reads the local server's binlog files: <c>SHOW BINARY LOGS</c> for the names and sizes (the last
/// one is being written), <c>SHOW BINLOG EVENTS ... LIMIT</c> for where each starts (MariaDB's
/// <c>Gtid_list</c>, MySQL's <c>Previous_gtids</c>), and <c>@@log_bin_basename</c> for the folder.
/// Both flavours answer the same statements.
/// </summary>
public sealed class LocalBinlogs(string flavour, string fallbackFolder)
{
    private readonly Dictionary<(string, long), BinlogCoverage> _starts = [];

    /// <summary>The files oldest first; the last is the active one. Empty when binary logging is off.</summary>
    public async Task<IReadOnlyList<LocalBinlog>> ReadAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var basename = await ScalarAsync(connection, "SELECT @@log_bin_basename", cancellationToken)
            .ConfigureAwait(false);
        var folder =
            basename is { Length: > 0 }
            && Path.GetDirectoryName(basename) is { } dir
            && Directory.Exists(dir)
                ? dir
                : fallbackFolder;
        var listed = new List<(string Name, long Bytes)>();
        var command = new MySqlCommand("SHOW BINARY LOGS", connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    listed.Add(
                        (
                            reader.GetString(0),
                            Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)
                        )
                    );
                }
            }
        }

        var files = new List<LocalBinlog>(listed.Count);
        for (var i = 0; i < listed.Count; i++)
        {
            var (name, bytes) = listed[i];
            // A closed file never changes, so its start is asked once; the active one grows, but
            // its GTID-list event, written when it opened, does not: key it by name alone.
            var key = (name, i == listed.Count - 1 ? -1 : bytes);
            if (!_starts.TryGetValue(key, out var start))
            {
                start = await StartAsync(connection, name, cancellationToken).ConfigureAwait(false);
                _starts[key] = start;
            }

            files.Add(new LocalBinlog(name, Path.Combine(folder, name), bytes, start));
        }

        return files;
    }

    /// <summary>Everything the server has written: <c>@@gtid_binlog_pos</c> or <c>@@gtid_executed</c>.</summary>
    public async Task<BinlogCoverage> WrittenAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    ) =>
        BinlogCoverage.Parse(
            flavour,
            await ScalarAsync(
                    connection,
                    flavour == BinlogCoverage.MariaDbFlavour
                        ? "SELECT @@gtid_binlog_pos"
                        : "SELECT @@gtid_executed",
                    cancellationToken
                )
                .ConfigureAwait(false)
                ?? ""
        );

    /// <summary>Forgets the starts read so far (after a failure, or when names may have been reused).</summary>
    public void Forget() => _starts.Clear();

    private async Task<BinlogCoverage> StartAsync(
        MySqlConnection connection,
        string name,
        CancellationToken cancellationToken
    )
    {
        var command = new MySqlCommand(
            "SHOW BINLOG EVENTS IN '"
                + name.Replace("'", "''", StringComparison.Ordinal)
                + "' LIMIT 6",
            connection
        );
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var type = reader.GetString(2);
                    if (type is "Gtid_list" or "Previous_gtids")
                    {
                        return BinlogCoverage.Parse(
                            flavour,
                            reader.IsDBNull(5) ? "" : reader.GetString(5)
                        );
                    }
                }
            }
        }

        throw new InvalidDataException(
            $"binlog {name} has no Gtid_list or Previous_gtids event among its first events: cannot tell which transactions it holds"
        );
    }

    private static async Task<string?> ScalarAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        var command = new MySqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? null : value.ToString();
        }
    }
}
