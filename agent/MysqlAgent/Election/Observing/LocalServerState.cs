using System.Globalization;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Mysql;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MySqlConnector;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>
/// What the election needs of the local mysqld at one step: is it up, writable, how far has it got,
/// and where does it replicate from. A server that does not answer is a state too (<see cref="Up"/>
/// false), never an exception.
/// </summary>
/// <param name="Executed">MySQL <c>@@gtid_executed</c> or MariaDB <c>@@gtid_current_pos</c>.</param>
/// <param name="Received">MySQL <c>Retrieved_Gtid_Set</c> or MariaDB <c>Gtid_IO_Pos</c>; null without replication.</param>
/// <param name="Source">The configured replication source (host and port as written in CHANGE MASTER); null when none.</param>
public sealed record LocalServerState(
    bool Up,
    string? Error,
    ServerVersionInfo? Server,
    bool Writable,
    string? Executed,
    string? Received,
    Endpoint? Source,
    bool IoThreadRunning
)
{
    /// <summary>The applier (SQL thread) runs.</summary>
    public bool SqlThreadRunning { get; init; }

    /// <summary>What the applier says it is doing; null without replication.</summary>
    public string? SqlThreadState { get; init; }

    /// <summary>
    /// With fetching stopped, the applier runs and has read all of its relay log: everything that
    /// arrived whole is applied (what is left of a received position is a torn last transaction).
    /// </summary>
    public bool RelayLogExhausted =>
        !IoThreadRunning
        && SqlThreadRunning
        && SqlThreadState?.Contains("read all relay log", StringComparison.OrdinalIgnoreCase)
            == true;

    public static LocalServerState Down(string error) =>
        new(false, error, null, false, null, null, null, false);

    public string? Flavor =>
        Server is null ? null
        : Server.Flavor == ServerFlavor.MariaDb ? "mariadb"
        : "mysql";

    /// <summary>Reads the state over <paramref name="connection"/>.</summary>
    public static async Task<LocalServerState> ReadAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var server = ServerVersionInfo.Parse(
            await ScalarAsync(connection, "SELECT VERSION()", cancellationToken)
                .ConfigureAwait(false)
                ?? ""
        );
        var mysql = server.Flavor == ServerFlavor.MySql;
        var writable = await ServerWritability
            .ReadAsync(connection, cancellationToken)
            .ConfigureAwait(false);
        var executed = (
            await ScalarAsync(
                    connection,
                    mysql ? "SELECT @@GLOBAL.gtid_executed" : "SELECT @@GLOBAL.gtid_current_pos",
                    cancellationToken
                )
                .ConfigureAwait(false)
            ?? ""
        ).Replace("\n", "", StringComparison.Ordinal);

        var dialect = ReplicationDialect.For(server);
        string? received = null;
        Endpoint? source = null;
        var ioRunning = false;
        var sqlRunning = false;
        string? sqlState = null;
        await using (var command = new MySqlCommand(dialect.ReplicaStatus, connection))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var c = dialect.Columns;
                    var host = Text(reader, c.SourceHost);
                    if (!string.IsNullOrEmpty(host))
                    {
                        source = new Endpoint(
                            host,
                            int.Parse(
                                Text(reader, c.SourcePort) ?? "0",
                                CultureInfo.InvariantCulture
                            )
                        );
                    }

                    ioRunning = string.Equals(
                        Text(reader, c.IoRunning),
                        "Yes",
                        StringComparison.OrdinalIgnoreCase
                    );
                    sqlRunning = string.Equals(
                        Text(reader, c.SqlRunning),
                        "Yes",
                        StringComparison.OrdinalIgnoreCase
                    );
                    sqlState = Text(reader, c.SqlRunningState);
                    received = Text(reader, mysql ? "Retrieved_Gtid_Set" : "Gtid_IO_Pos")
                        ?.Replace("\n", "", StringComparison.Ordinal);
                }
            }
        }

        return new LocalServerState(
            true,
            null,
            server,
            writable,
            executed,
            received,
            source,
            ioRunning
        )
        {
            SqlThreadRunning = sqlRunning,
            SqlThreadState = sqlState,
        };
    }

    /// <summary>This state as a candidate report for peers.</summary>
    public CandidateDocument ToDocument(bool errant, long followedTerm) =>
        new()
        {
            MysqldUp = Up,
            Errant = errant,
            Writable = Up && Writable,
            FollowedTerm = followedTerm,
            Flavor = Flavor,
            Executed = Up ? Executed : null,
            Received = Up ? Received : null,
        };

    private static async Task<string?> ScalarAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull
            ? null
            : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    private static string? Text(MySqlDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal)
            ? null
            : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
    }
}

/// <summary>Turns the candidate reports (own and peers') into the elector's <see cref="CandidateStatus"/>.</summary>
public static class CandidateReports
{
    /// <summary>The report as a candidate; an unreadable position gives a null progress (not eligible).</summary>
    public static CandidateStatus ToStatus(string name, int ordinal, CandidateDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new CandidateStatus(
            name,
            ordinal,
            document.MysqldUp,
            document.Errant,
            document.FollowedTerm,
            Progress(document, document.Received ?? ""),
            document.Priority
        )
        {
            Applied = Progress(document, ""),
            Writable = document.Writable,
            Position = document is { MysqldUp: true, Flavor: { } flavor, Executed: { } executed }
                ? new RecordedPosition(flavor, executed)
                : null,
        };
    }

    private static GtidProgress? Progress(CandidateDocument document, string received)
    {
        if (!document.MysqldUp || document.Executed is null)
        {
            return null;
        }

        switch (document.Flavor)
        {
            case "mariadb":
                return
                    MariaDbGtidPosition.TryParse(document.Executed, out var current, out _)
                    && MariaDbGtidPosition.TryParse(received, out var io, out _)
                    ? GtidProgress.MariaDb(current!, io!)
                    : null;
            case "mysql":
                return
                    MysqlGtidSet.TryParse(document.Executed, out var executed, out _)
                    && MysqlGtidSet.TryParse(received, out var retrieved, out _)
                    ? GtidProgress.MySql(executed!, retrieved!)
                    : null;
            default:
                return null;
        }
    }
}
