namespace MysqlAgent.Replication.Sql;

/// <summary>How the replica's link to its source is set up.</summary>
/// <param name="UseTls">Adds <c>SOURCE_SSL=1</c>; without TLS, MySQL 8 needs <c>GET_SOURCE_PUBLIC_KEY=1</c> instead.</param>
/// <param name="SslCaFile">
/// With <paramref name="UseTls"/>: the CA file (a path mysqld reads) that the source's certificate
/// must chain to; adds <c>SOURCE_SSL_CA</c> and <c>SOURCE_SSL_VERIFY_SERVER_CERT=1</c> (the source's
/// name is checked too).
/// </param>
/// <param name="QuoteMode">The session's <c>NO_BACKSLASH_ESCAPES</c> state, read on the connection that runs the statements.</param>
/// <param name="ReplaceGtidHistory">
/// MySQL GTID start only: reset the GTID history (<c>RESET MASTER</c>, or <c>RESET BINARY LOGS AND
/// GTIDS</c> on 8.4) and set <c>gtid_purged</c> to the clone's set (when it is not empty) before
/// the source is configured. The setup passes false when the server already contains every GTID of
/// the clone's set (<c>GTID_SUBSET(clone set, @@GLOBAL.gtid_executed)</c>, asked on the server; it
/// may contain more), and true otherwise: the restored <c>mysql.gtid_executed</c> table lags when
/// binlogs were not copied, and a replica missing those GTIDs would fetch them again.
/// </param>
public sealed record ReplicationLinkOptions(
    bool UseTls,
    SqlQuoteMode QuoteMode = SqlQuoteMode.BackslashEscapes,
    bool ReplaceGtidHistory = true,
    string? SslCaFile = null
);
