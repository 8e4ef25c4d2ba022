using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Heartbeat;
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
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeInspector> _logger;
    private string? _lastBug;

    public NodeInspector(
        LocalServer server,
        AgentOptions options,
        TimeProvider time,
        ILogger<NodeInspector> logger
    )
    {
        _server = server;
        _options = options;
        _time = time;
        _logger = logger;
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
        catch (Exception e) when (ServerTrouble.Is(e, cancellationToken))
        {
            return NodeSnapshot.Down(_time.GetUtcNow(), OneLine(e));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Bug(e, mysqldUp: false);
        }

        await using (connection.ConfigureAwait(false))
        {
            try
            {
                var snapshot = await ReadAsync(connection, token).ConfigureAwait(false);
                _lastBug = null;
                return snapshot;
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
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return Bug(e, mysqldUp: true);
            }
        }
    }

    // A bug in the agent (a column read as the wrong type, a state we did not expect): not ready,
    // with a reason that says so, and the stack trace in the log once per distinct failure, not once
    // per check.
    private NodeSnapshot Bug(Exception e, bool mysqldUp)
    {
        var what = $"{e.GetType().Name}: {OneLine(e.Message)}";
        if (!string.Equals(what, _lastBug, StringComparison.Ordinal))
        {
            HealthLog.InspectionBug(_logger, _options.LocalMysql.ToString(), e);
            _lastBug = what;
        }

        return new NodeSnapshot
        {
            CheckedAt = _time.GetUtcNow(),
            MysqldUp = mysqldUp,
            Error =
                $"the agent failed to read mysqld's state, a bug ({what}); stack trace in the agent's log",
        };
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
        // Only a replica has a staleness; with heartbeats off, a row left from earlier must not
        // count, since nobody refreshes it.
        var heartbeatAt =
            replica is not null && _options.HeartbeatInterval > TimeSpan.Zero
                ? await ReadHeartbeatAsync(connection, token).ConfigureAwait(false)
                : null;

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
            ReadOnly = ServerWritability.Flag(variables.GetValueOrDefault("read_only")),
            SuperReadOnly = ServerWritability.Flag(variables.GetValueOrDefault("super_read_only")),
            GtidExecuted = Gtid(variables.GetValueOrDefault("gtid_executed")),
            GtidCurrentPos = Gtid(variables.GetValueOrDefault("gtid_current_pos")),
            GtidSlavePos = Gtid(variables.GetValueOrDefault("gtid_slave_pos")),
            BinlogFile = binlogFile,
            BinlogPosition = binlogPosition,
            Replica = replica,
            HeartbeatAt = heartbeatAt,
        };
    }

    private static async Task<DateTimeOffset?> ReadHeartbeatAsync(
        MySqlConnection connection,
        CancellationToken token
    )
    {
        await using var command = new MySqlCommand(HeartbeatTable.NewestSql, connection);
        try
        {
            var value = await command.ExecuteScalarAsync(token).ConfigureAwait(false);
            return value is null or DBNull
                ? null
                : HeartbeatTable.FromMicroseconds(
                    Convert.ToInt64(value, CultureInfo.InvariantCulture)
                );
        }
        catch (MySqlException e)
            when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
        {
            // No heartbeat has reached this replica yet (a fresh clone, an old primary).
            return null;
        }
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

    // gtid_executed lists one UUID set per line on MySQL; keep one line.
    private static string? Gtid(string? value) =>
        value is null ? null : value.Replace("\n", "", StringComparison.Ordinal).Trim();

    // Server trouble, plus what the server's own answers can cause: a version text we cannot parse
    // (FormatException, thrown above) or a server we do not support (ReplicationSetupException).
    // InvalidOperationException, InvalidCastException and IndexOutOfRangeException are not here:
    // they are bugs in the agent, logged with their stack trace by Bug().
    private static bool IsServerProblem(Exception e, CancellationToken stopping) =>
        ServerTrouble.Is(e, stopping) || e is FormatException or ReplicationSetupException;

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
