namespace MysqlAgent.Heartbeat;

/// <summary>
/// The agent-owned heartbeat table, pt-heartbeat's method: the primary's agent upserts one row (its
/// server id, the UTC time in microseconds since the Unix epoch) every <c>--heartbeat-interval</c>; the
/// row replicates like any other write, so on a replica <c>now - MAX(ts_us)</c> is how old its data
/// is, even while the IO thread reconnects or the source is gone, when <c>Seconds_Behind_Source</c>
/// is NULL or 0 and tells nothing. Each beat is one small transaction in the primary's binary log.
/// </summary>
public static class HeartbeatTable
{
    public const string QualifiedName = "mysql_agent.heartbeat";

    /// <summary>Created by the primary's agent on its first beat, and again if someone dropped it.</summary>
    public const string CreateSql =
        "CREATE DATABASE IF NOT EXISTS mysql_agent; "
        + "CREATE TABLE IF NOT EXISTS mysql_agent.heartbeat ("
        + "server_id INT UNSIGNED NOT NULL PRIMARY KEY, "
        + "ts_us BIGINT NOT NULL COMMENT 'UTC, microseconds since 1970-01-01, from the writing agent''s clock'"
        + ") ENGINE=InnoDB";

    /// <summary>
    /// One row per writing server. The values are parameters, never <c>@@server_id</c> or
    /// <c>NOW()</c>, so that statement-based replication applies exactly what the primary wrote.
    /// </summary>
    public const string WriteSql =
        "INSERT INTO mysql_agent.heartbeat (server_id, ts_us) VALUES (@server_id, @ts_us) "
        + "ON DUPLICATE KEY UPDATE ts_us = @ts_us";

    /// <summary>The newest heartbeat applied here, whoever wrote it (after a failover, the new primary's row is the newest).</summary>
    public const string NewestSql = "SELECT MAX(ts_us) FROM mysql_agent.heartbeat";

    public static long ToMicroseconds(DateTimeOffset time) =>
        (time.UtcDateTime - DateTime.UnixEpoch).Ticks / 10;

    public static DateTimeOffset FromMicroseconds(long microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);
}
