using System.Text;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Replication.Sql;

/// <summary>
/// Renders the statements that point a freshly cloned replica at its source and start it, in the
/// connected server's dialect. Every value goes through <see cref="SqlLiteral"/>.
/// </summary>
/// <remarks>
/// The sequence always begins with stop + reset-all: a clone of a replica carries the donor's
/// replication settings (in the <c>mysql.slave_*</c> tables on MySQL 8), which must not be reused.
/// </remarks>
public static class ReplicationStatementRenderer
{
    /// <exception cref="ReplicationSetupException">The server is unsupported, or the start is for the other flavor.</exception>
    public static IReadOnlyList<ReplicationStatement> RenderSetup(
        ServerVersionInfo server,
        ReplicationStart start,
        ReplicationSource source,
        ReplicationLinkOptions options
    )
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);

        var dialect = ReplicationDialect.For(server);
        var mode = options.QuoteMode;
        var statements = new List<ReplicationStatement>
        {
            ReplicationStatement.Plain(dialect.StopReplica),
            ReplicationStatement.Plain(dialect.ResetReplicaAll),
        };

        switch (start)
        {
            case MysqlGtidStart when dialect.Flavor != ServerFlavor.MySql:
            case MariaDbGtidStart when dialect.Flavor != ServerFlavor.MariaDb:
                throw new ReplicationSetupException(
                    $"cannot start a {server} replica from a {(start is MysqlGtidStart ? "MySQL" : "MariaDB")} GTID position: the clone came from the other server family"
                );
            case MysqlGtidStart mysql when options.ReplaceGtidHistory:
                statements.Add(ReplicationStatement.Plain(dialect.ResetGtidHistory!));
                if (!mysql.GtidPurged.IsEmpty)
                {
                    statements.Add(
                        ReplicationStatement.Plain(
                            "SET GLOBAL gtid_purged = "
                                + SqlLiteral.Quote(mysql.GtidPurged.Text, mode)
                        )
                    );
                }

                break;
            case MariaDbGtidStart mariaDb:
                statements.Add(
                    ReplicationStatement.Plain(
                        "SET GLOBAL gtid_slave_pos = "
                            + SqlLiteral.Quote(mariaDb.SlavePosition.Text, mode)
                    )
                );
                break;
        }

        statements.Add(RenderChange(dialect, start, source, options));
        statements.Add(ReplicationStatement.Plain(dialect.StartReplica));
        return statements;
    }

    private static ReplicationStatement RenderChange(
        ReplicationDialect dialect,
        ReplicationStart start,
        ReplicationSource source,
        ReplicationLinkOptions options
    )
    {
        var mode = options.QuoteMode;
        var p = dialect.OptionPrefix;
        var sql = new StringBuilder(dialect.ChangeSourceTo).Append(' ');
        var redacted = new StringBuilder(dialect.ChangeSourceTo).Append(' ');

        void Option(string name, string value, bool secret = false)
        {
            if (sql[^1] != ' ')
            {
                sql.Append(", ");
                redacted.Append(", ");
            }

            sql.Append(name).Append('=').Append(value);
            redacted.Append(name).Append('=').Append(secret ? ReplicationStatement.Mask : value);
        }

        Option(p + "HOST", SqlLiteral.Quote(source.Host, mode));
        Option(p + "PORT", SqlLiteral.Number(source.Port));
        Option(p + "USER", SqlLiteral.Quote(source.User, mode));
        Option(p + "PASSWORD", SqlLiteral.Quote(source.Password, mode), secret: true);
        Option(p + "CONNECT_RETRY", SqlLiteral.Number(source.ConnectRetrySeconds));
        if (dialect.SupportsRetryCount)
        {
            Option(p + "RETRY_COUNT", SqlLiteral.Number(source.RetryCount));
        }

        if (options.UseTls)
        {
            Option(p + "SSL", "1");
            if (options.SslCaFile is { } ca)
            {
                Option(p + "SSL_CA", SqlLiteral.Quote(ca, mode));
                Option(p + "SSL_VERIFY_SERVER_CERT", "1");
            }
        }
        else if (dialect.GetPublicKeyOption is { } publicKey)
        {
            var equals = publicKey.IndexOf('=', StringComparison.Ordinal);
            Option(publicKey[..equals], publicKey[(equals + 1)..]);
        }

        switch (start)
        {
            case MysqlGtidStart:
                Option(p + "AUTO_POSITION", "1");
                break;
            case MariaDbGtidStart:
                Option("MASTER_USE_GTID", "slave_pos");
                break;
            case FilePositionStart file:
                Option(p + "LOG_FILE", SqlLiteral.Quote(file.Coordinates.File, mode));
                Option(p + "LOG_POS", SqlLiteral.Number(file.Coordinates.Position));
                if (dialect.Flavor == ServerFlavor.MariaDb)
                {
                    // From 10.10 MariaDB defaults to slave_pos; say explicitly that this is file/position.
                    Option("MASTER_USE_GTID", "no");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(start), start, "unknown start kind");
        }

        return new ReplicationStatement(sql.ToString(), redacted.ToString());
    }
}
