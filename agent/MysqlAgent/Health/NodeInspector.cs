using System.Globalization;
using MysqlAgent.Mysql;
using MysqlAgent.Replication;
using MysqlAgent.Replication.Dialects;
using MySqlConnector;

namespace MysqlAgent.Health;

/// <summary>
/// Takes one <see cref="NodeSnapshot"/> of the local mysqld: a few read-only statements, the
/// replication ones taken from <see cref="ReplicationDialect"/> for the server it finds.
/// </summary>
public sealed class NodeInspector
{
    // The variables are read with one SHOW so that a name the server lacks (super_read_only on
    // MariaDB, gtid_current_pos on MySQL) is simply absent instead of an error.
    private const string VariablesSql =
        "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version', 'server_id', 'read_only', "
        + "'super_read_only', 'gtid_executed', 'gtid_current_pos', 'gtid_slave_pos')";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly LocalServer _server;
    private readonly TimeProvider _time;

    public NodeInspector(LocalServer server, TimeProvider time)
    {
        _server = server;
        _time = time;
    }

    /// <summary>Never throws for a server that is down or misbehaving: that is a snapshot too.</summary>
    public async Task<NodeSnapshot> InspectAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken,
            timeout.Token
        );
        var token = linked.Token;

        MySqlConnection connection;
        try
        {
            connection = await _server.OpenAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsServerProblem(e, cancellationToken))
        {
            return NodeSnapshot.Down(_time.GetUtcNow(), OneLine(e));
        }

        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await ReadAsync(connection, token).ConfigureAwait(false);
            }
            catch (Exception e) when (IsServerProblem(e, cancellationToken))
            {
                return new NodeSnapshot
                {
                    CheckedAt = _time.GetUtcNow(),
                    MysqldUp = true,
                    Error = OneLine(e),
                };
            }
        }
    }

    private async Task<NodeSnapshot> ReadAsync(MySqlConnection connection, CancellationToken token)
    {
        var variables = await ReadVariablesAsync(connection, token).ConfigureAwait(false);
        var versionText = variables.GetValueOrDefault("version") ?? connection.ServerVersion;
        if (!ServerVersionInfo.TryParse(versionText, out var server) || server is null)
        {
            throw new FormatException($"unrecognised server version \"{versionText}\"");
        }

        var dialect = ReplicationDialect.For(server);
        var (binlogFile, binlogPosition) = await ReadBinlogAsync(connection, dialect, token)
            .ConfigureAwait(false);
        var replica = await ReadReplicaAsync(connection, dialect, token).ConfigureAwait(false);

        return new NodeSnapshot
        {
            CheckedAt = _time.GetUtcNow(),
            MysqldUp = true,
            Flavor = server.Flavor == ServerFlavor.MariaDb ? "mariadb" : "mysql",
            Version = server.Version.ToString(3),
            VersionText = versionText,
            ServerId = uint.TryParse(
                variables.GetValueOrDefault("server_id"),
                CultureInfo.InvariantCulture,
                out var id
            )
                ? id
                : null,
            ReadOnly = Flag(variables.GetValueOrDefault("read_only")),
            SuperReadOnly = Flag(variables.GetValueOrDefault("super_read_only")),
            GtidExecuted = Gtid(variables.GetValueOrDefault("gtid_executed")),
            GtidCurrentPos = Gtid(variables.GetValueOrDefault("gtid_current_pos")),
            GtidSlavePos = Gtid(variables.GetValueOrDefault("gtid_slave_pos")),
            BinlogFile = binlogFile,
            BinlogPosition = binlogPosition,
            Replica = replica,
        };
    }

    private static async Task<Dictionary<string, string>> ReadVariablesAsync(
        MySqlConnection connection,
        CancellationToken token
    )
    {
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await using var command = new MySqlCommand(VariablesSql, connection);
        var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                variables[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
            }
        }

        return variables;
    }

    private static async Task<(string? File, long? Position)> ReadBinlogAsync(
        MySqlConnection connection,
        ReplicationDialect dialect,
        CancellationToken token
    )
    {
        await using var command = new MySqlCommand(dialect.BinaryLogStatus, connection);
        var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            // No row when binary logging is off.
            if (!await reader.ReadAsync(token).ConfigureAwait(false))
            {
                return (null, null);
            }

            return (Text(reader, "File"), Number(reader, "Position"));
        }
    }

    private static async Task<ReplicaSnapshot?> ReadReplicaAsync(
        MySqlConnection connection,
        ReplicationDialect dialect,
        CancellationToken token
    )
    {
        var c = dialect.Columns;
        await using var command = new MySqlCommand(dialect.ReplicaStatus, connection);
        var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            // No row when no source was ever configured (or after RESET REPLICA ALL).
            if (!await reader.ReadAsync(token).ConfigureAwait(false))
            {
                return null;
            }

            return new ReplicaSnapshot(
                SourceHost: Text(reader, c.SourceHost) ?? "",
                SourcePort: (int)(Number(reader, c.SourcePort) ?? 0),
                IoThread: Text(reader, c.IoRunning) ?? "No",
                SqlThread: Text(reader, c.SqlRunning) ?? "No",
                LagSeconds: Number(reader, c.SecondsBehindSource),
                LastIoErrorNumber: (int)(Number(reader, c.LastIoErrno) ?? 0),
                LastIoError: OneLine(Text(reader, c.LastIoError) ?? ""),
                LastSqlErrorNumber: (int)(Number(reader, c.LastSqlErrno) ?? 0),
                LastSqlError: OneLine(Text(reader, c.LastSqlError) ?? "")
            );
        }
    }

    private static string? Text(MySqlDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal)
            ? null
            : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
    }

    private static long? Number(MySqlDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal)
            ? null
            : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
    }

    private static bool? Flag(string? value) =>
        value is null ? null : value is "ON" or "on" or "1" or "TRUE" or "true";

    // gtid_executed lists one UUID set per line on MySQL; keep one line.
    private static string? Gtid(string? value) =>
        value is null ? null : value.Replace("\n", "", StringComparison.Ordinal).Trim();

    private static bool IsServerProblem(Exception e, CancellationToken stopping) =>
        e switch
        {
            OperationCanceledException => !stopping.IsCancellationRequested,
            MySqlException => true,
            InvalidOperationException or FormatException or InvalidCastException => true,
            ReplicationSetupException => true,
            System.Net.Sockets.SocketException or IOException or TimeoutException => true,
            IndexOutOfRangeException => true, // a column this dialect names is missing
            _ => false,
        };

    private static string OneLine(Exception e) =>
        e is OperationCanceledException
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"no answer within {Timeout.TotalSeconds:0} s"
            )
            : OneLine(e.Message);

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
