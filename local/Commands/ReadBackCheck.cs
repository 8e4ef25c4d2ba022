using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using MysqlLocal.State;
using MysqlLocal.Status;
using MysqlLocal.Waiting;

namespace MysqlLocal.Commands;

/// <summary>
/// The proof at the end of <c>up</c>: a row written through the primary, read back from every
/// replica. First every pod must prove it is this set's: its agent's <c>/status</c> names the pod
/// and the set, and its mysqld's datadir is the pod's volume, so a port another set holds can never
/// pass for one of ours.
/// </summary>
public static class ReadBackCheck
{
    private static readonly TimeSpan ReplicationPatience = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(
        SetPaths paths,
        string setId,
        IReadOnlyList<PodStatusRow> rows,
        TimeProvider time,
        TextWriter output,
        int primaryPort,
        int readPort,
        CancellationToken cancellationToken
    )
    {
        var password = (
            await File.ReadAllTextAsync(paths.Secret(SecretFiles.RootPassword), cancellationToken)
                .ConfigureAwait(false)
        ).Trim();
        await EnsureOursAsync(paths, setId, rows, password, cancellationToken)
            .ConfigureAwait(false);
        // The write goes through the mysql-primary port, as a client's would: with failover once
        // the Lease holder has made its server writable, with a fixed primary to mysql-0.
        var primary = rows.Single(r => r.Ordinal == 0);
        var writeThrough = "mysql-primary";
        var writePort = primaryPort;

        var note = string.Create(
            CultureInfo.InvariantCulture,
            $"hello from mysql-local up at {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}"
        );
        var written = await new Waiter(time)
            .UntilAsync(
                token => WriteAsync(writePort, password, note, token),
                write => write.Id is not null,
                TimeSpan.FromMilliseconds(200),
                ReplicationPatience,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (written.Last is not { Id: { } id, ServerPort: var serverPort })
        {
            throw new LocalSetException(
                $"no write through {writeThrough} (127.0.0.1:{writePort}) succeeded within {ReplicationPatience.TotalSeconds:0} s ({written.Last?.Error ?? "no answer"}): see 'status'"
            );
        }

        // The pod that took the write: mysqld's own port, which the forwarder leaves as it is.
        var writer = rows.FirstOrDefault(r => r.Ports.Mysql == serverPort) ?? primary;
        writeThrough += $" ({writer.Name})";

        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"wrote through {writeThrough}: local_check.greetings id {id} '{note}'"
                )
            )
            .ConfigureAwait(false);
        foreach (var replica in rows.Where(r => r.Name != writer.Name).OrderBy(r => r.Ordinal))
        {
            var watch = Stopwatch.StartNew();
            await using var connection = await OpenAsync(
                    replica.Ports.Mysql,
                    password,
                    cancellationToken
                )
                .ConfigureAwait(false);
            var arrived = await new Waiter(time)
                .UntilAsync(
                    token => FindAsync(connection, id, token),
                    found => found == note,
                    TimeSpan.FromMilliseconds(20),
                    ReplicationPatience,
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (!arrived.Done)
            {
                throw new LocalSetException(
                    $"the row written through {writeThrough} did not reach {replica.Name} within {ReplicationPatience.TotalSeconds:0} s: see 'status' and 'logs {replica.Name} agent'"
                );
            }

            await output
                .WriteLineAsync(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"read back from {replica.Name} (127.0.0.1:{replica.Ports.Mysql}) after {watch.Elapsed.TotalMilliseconds:0} ms"
                    )
                )
                .ConfigureAwait(false);
        }

        // Every pod holds the row now, so whichever ready pod mysql-read picks returns it.
        var (readFrom, readNote) = await ReadThroughAsync(readPort, password, id, cancellationToken)
            .ConfigureAwait(false);
        if (readNote != note)
        {
            throw new LocalSetException(
                $"mysql-read (127.0.0.1:{readPort}) sent the read to {rows.FirstOrDefault(r => r.Ports.Mysql == readFrom)?.Name ?? $"port {readFrom}"}, which does not hold the row: see 'status'"
            );
        }

        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"read back through mysql-read ({rows.FirstOrDefault(r => r.Ports.Mysql == readFrom)?.Name ?? $"port {readFrom}"})"
                )
            )
            .ConfigureAwait(false);
    }

    /// <summary>The mysqld port that mysql-read chose, and the row's note there.</summary>
    /// <exception cref="LocalSetException">mysql-read refuses or the server does not answer.</exception>
    private static async Task<(int Port, string? Note)> ReadThroughAsync(
        int readPort,
        string password,
        long id,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await using var connection = await OpenAsync(readPort, password, cancellationToken)
                .ConfigureAwait(false);
            await using var query = new MySqlCommand("SELECT @@port", connection);
            var port = Convert.ToInt32(
                await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                CultureInfo.InvariantCulture
            );
            return (port, await FindAsync(connection, id, cancellationToken).ConfigureAwait(false));
        }
        catch (MySqlException e)
        {
            throw new LocalSetException(
                $"no read through mysql-read (127.0.0.1:{readPort}): {e.Message}; see 'status' and the kubelet's log"
            );
        }
    }

    /// <exception cref="LocalSetException">A pod's agent or mysqld is not this set's.</exception>
    private static async Task EnsureOursAsync(
        SetPaths paths,
        string setId,
        IReadOnlyList<PodStatusRow> rows,
        string password,
        CancellationToken cancellationToken
    )
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var row in rows.OrderBy(r => r.Ordinal))
        {
            if (
                await AgentIdentity
                    .CheckAsync(http, row.Ports.Http, row.Name, setId, cancellationToken)
                    .ConfigureAwait(false) is
                { } stranger
            )
            {
                throw new LocalSetException(
                    $"{row.Name} is not this set's: {stranger} (see 'status')"
                );
            }

            await using var connection = await OpenAsync(
                    row.Ports.Mysql,
                    password,
                    cancellationToken
                )
                .ConfigureAwait(false);
            await using var query = new MySqlCommand("SELECT @@datadir", connection);
            var dataDir =
                await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            var expected = paths.Pod(row.Ordinal).DataDir;
            if (
                dataDir is null
                || !string.Equals(
                    Path.TrimEndingDirectorySeparator(dataDir),
                    Path.TrimEndingDirectorySeparator(expected),
                    StringComparison.Ordinal
                )
            )
            {
                throw new LocalSetException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{row.Name} is not this set's: the mysqld on 127.0.0.1:{row.Ports.Mysql} serves {dataDir ?? "(no datadir)"}, not {expected} (see 'status')"
                    )
                );
            }
        }
    }

    private sealed record WriteAttempt(long? Id, int ServerPort, string? Error);

    /// <summary>
    /// Writes the row through mysql-primary; a refused connection or a server still read-only is
    /// "not yet", since the holder is still becoming the primary.
    /// </summary>
    private static async ValueTask<WriteAttempt> WriteAsync(
        int port,
        string password,
        string note,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await using var connection = await OpenAsync(port, password, cancellationToken)
                .ConfigureAwait(false);
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
            await using var query = new MySqlCommand("SELECT @@port", connection);
            var serverPort = Convert.ToInt32(
                await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                CultureInfo.InvariantCulture
            );
            return new WriteAttempt(insert.LastInsertedId, serverPort, null);
        }
        catch (MySqlException e)
        {
            return new WriteAttempt(null, 0, e.Message);
        }
    }

    /// <summary>The row's note on a replica; null while the row, its table or its database has not arrived.</summary>
    private static async ValueTask<string?> FindAsync(
        MySqlConnection connection,
        long id,
        CancellationToken cancellationToken
    )
    {
        await using var select = new MySqlCommand(
            "SELECT note FROM local_check.greetings WHERE id = @id",
            connection
        );
        select.Parameters.AddWithValue("@id", id);
        try
        {
            return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                as string;
        }
        catch (MySqlException e)
            when (e.ErrorCode == MySqlErrorCode.UnknownTable
                || e.ErrorCode == MySqlErrorCode.NoSuchTable
                || e.ErrorCode == MySqlErrorCode.UnknownDatabase
            )
        {
            return null;
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
