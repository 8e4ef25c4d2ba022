namespace MysqlAgent.Health;

/// <summary>The replica-status row of the local server (<c>SHOW REPLICA/SLAVE STATUS</c>), in dialect-free names.</summary>
/// <param name="IoThread">The raw IO-thread state: <c>Yes</c>, <c>No</c> or <c>Connecting</c>.</param>
/// <param name="SqlThread">The raw SQL-thread state: <c>Yes</c> or <c>No</c>.</param>
/// <param name="LagSeconds">Seconds_Behind_Source / Seconds_Behind_Master; null when the server does not know.</param>
public sealed record ReplicaSnapshot(
    string SourceHost,
    int SourcePort,
    string IoThread,
    string SqlThread,
    long? LagSeconds,
    int LastIoErrorNumber,
    string LastIoError,
    int LastSqlErrorNumber,
    string LastSqlError
)
{
    public bool IoThreadRunning =>
        string.Equals(IoThread, "Yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The IO thread is trying to reach its source (<c>Connecting</c>, or another state that is neither
    /// <c>Yes</c> nor <c>No</c>): the source is down, hung or unreachable, and the thread retries.
    /// </summary>
    public bool IoThreadConnecting =>
        !IoThreadRunning && !string.Equals(IoThread, "No", StringComparison.OrdinalIgnoreCase);

    public bool SqlThreadRunning =>
        string.Equals(SqlThread, "Yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>The SQL error when there is one, else the IO error, else 0.</summary>
    public int LastErrorNumber => LastSqlErrorNumber != 0 ? LastSqlErrorNumber : LastIoErrorNumber;

    public string LastError => LastSqlErrorNumber != 0 ? LastSqlError : LastIoError;
}
