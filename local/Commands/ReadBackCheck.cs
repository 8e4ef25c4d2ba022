using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlLocal.Commands;

/// <summary>The proof at the end of <c>up</c>: a row written through the primary, read back from every replica.</summary>
public static class ReadBackCheck
{
    public static async Task RunAsync(
        SetPaths paths,
        IReadOnlyList<PodStatusRow> rows,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var password = (
            await File.ReadAllTextAsync(paths.Secret(SecretFiles.RootPassword), cancellationToken)
                .ConfigureAwait(false)
        ).Trim();
        var primary = rows.Single(r => r.Ordinal == 0);
        long id;
        string note;
        await using (
            var connection = await OpenAsync(primary.Ports.Mysql, password, cancellationToken)
                .ConfigureAwait(false)
        )
        {
            note = string.Create(
                CultureInfo.InvariantCulture,
                $"hello from mysql-local up at {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}"
            );
            await ExecuteAsync(
                    connection,
                    "CREATE DATABASE IF NOT EXISTS local_check",
                    cancellationToken
                )
                .ConfigureAwait(false);
            await ExecuteAsync(
                    connection,
                    "CREATE TABLE IF NOT EXISTS local_check.greetings (id BIGINT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(200) NOT NULL)",
                    cancellationToken
                )
                .ConfigureAwait(false);
            await using var insert = new MySqlCommand(
                "INSERT INTO local_check.greetings (note) VALUES (@note)",
                connection
            );
            insert.Parameters.AddWithValue("@note", note);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            id = insert.LastInsertedId;
        }

        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"wrote through {primary.Name}: local_check.greetings id {id} '{note}'"
                )
            )
            .ConfigureAwait(false);
        foreach (var replica in rows.Where(r => r.Ordinal > 0).OrderBy(r => r.Ordinal))
        {
            var watch = Stopwatch.StartNew();
            await using var connection = await OpenAsync(
                    replica.Ports.Mysql,
                    password,
                    cancellationToken
                )
                .ConfigureAwait(false);
            while (true)
            {
                await using var select = new MySqlCommand(
                    "SELECT note FROM local_check.greetings WHERE id = @id",
                    connection
                );
                select.Parameters.AddWithValue("@id", id);
                string? found;
                try
                {
                    found =
                        await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                        as string;
                }
                catch (MySqlException e)
                    when (e.ErrorCode == MySqlErrorCode.UnknownTable
                        || e.ErrorCode == MySqlErrorCode.NoSuchTable
                        || e.ErrorCode == MySqlErrorCode.UnknownDatabase
                    )
                {
                    found = null; // The table itself has not arrived yet.
                }

                if (found == note)
                {
                    await output
                        .WriteLineAsync(
                            string.Create(
                                CultureInfo.InvariantCulture,
                                $"read back from {replica.Name} (127.0.0.1:{replica.Ports.Mysql}) after {watch.Elapsed.TotalMilliseconds:0} ms"
                            )
                        )
                        .ConfigureAwait(false);
                    break;
                }

                if (watch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new LocalSetException(
                        $"the row written through {primary.Name} did not reach {replica.Name} within 60 s: see 'status' and 'logs {replica.Name} agent'"
                    );
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    private static async Task<MySqlConnection> OpenAsync(
        int port,
        string password,
        CancellationToken cancellationToken
    )
    {
        var connection = new MySqlConnection(
            new MySqlConnectionStringBuilder
            {
                Server = "127.0.0.1",
                Port = (uint)port,
                UserID = "root",
                Password = password,
                SslMode = MySqlSslMode.None,
                Pooling = false,
            }.ConnectionString
        );
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task ExecuteAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
