namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>The replica status fields <see cref="SetupCrashScenario"/> checks, under either family's column names.</summary>
/// <param name="SourceConfigured">A source host is set (the change of source ran and was not reset).</param>
/// <param name="SqlRunning">The applier thread's Yes/No, empty when no replication is configured.</param>
/// <param name="UsesGtid">MariaDB's <c>Using_Gtid</c> is <c>Slave_Pos</c>, MySQL's <c>Auto_Position</c> is 1.</param>
/// <param name="Description">The status in one line, for failure messages and the test output.</param>
public sealed record ReplicaState(
    bool SourceConfigured,
    string SqlRunning,
    string LastIoErrno,
    string LastSqlErrno,
    bool UsesGtid,
    string Description
)
{
    /// <summary>One row of SHOW SLAVE STATUS or SHOW REPLICA STATUS (empty: none configured).</summary>
    public static ReplicaState Read(
        IReadOnlyDictionary<string, string> status,
        ReplicaStatusNames names,
        string description
    ) =>
        new(
            !string.IsNullOrEmpty(status.GetValueOrDefault(names.SourceHost)),
            status.GetValueOrDefault(names.SqlRunning, ""),
            status.GetValueOrDefault("Last_IO_Errno", ""),
            status.GetValueOrDefault("Last_SQL_Errno", ""),
            status.GetValueOrDefault(names.Gtid) == names.GtidOn,
            description
        );
}

/// <summary>Where each family's replica status keeps what <see cref="ReplicaState"/> reads.</summary>
public sealed record ReplicaStatusNames(
    string SourceHost,
    string SqlRunning,
    string Gtid,
    string GtidOn
)
{
    public static readonly ReplicaStatusNames MariaDb = new(
        "Master_Host",
        "Slave_SQL_Running",
        "Using_Gtid",
        "Slave_Pos"
    );

    public static readonly ReplicaStatusNames Mysql = new(
        "Source_Host",
        "Replica_SQL_Running",
        "Auto_Position",
        "1"
    );
}
