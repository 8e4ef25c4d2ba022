namespace MysqlAgent.Replication.Dialects;

/// <summary>
/// The column names of the replica-status row in one dialect, so readers never spell them by hand.
/// <see cref="GtidPosition"/> is MySQL's <c>Executed_Gtid_Set</c> or MariaDB's <c>Gtid_IO_Pos</c>;
/// <see cref="UsingGtid"/> is <c>Auto_Position</c> (0/1) or <c>Using_Gtid</c> (No/Slave_Pos/Current_Pos);
/// <see cref="SqlRunningState"/> is what the applier is doing ("Slave has read all relay log; waiting…").
/// </summary>
public sealed record ReplicaStatusColumns(
    string IoRunning,
    string SqlRunning,
    string SecondsBehindSource,
    string SourceHost,
    string SourcePort,
    string SourceLogFile,
    string ReadSourceLogPosition,
    string RelaySourceLogFile,
    string ExecSourceLogPosition,
    string LastIoErrno,
    string LastIoError,
    string LastSqlErrno,
    string LastSqlError,
    string GtidPosition,
    string UsingGtid,
    string SqlRunningState
)
{
    /// <summary>MySQL 8.0.22+ <c>SHOW REPLICA STATUS</c>.</summary>
    public static ReplicaStatusColumns MySqlReplica { get; } =
        new(
            "Replica_IO_Running",
            "Replica_SQL_Running",
            "Seconds_Behind_Source",
            "Source_Host",
            "Source_Port",
            "Source_Log_File",
            "Read_Source_Log_Pos",
            "Relay_Source_Log_File",
            "Exec_Source_Log_Pos",
            "Last_IO_Errno",
            "Last_IO_Error",
            "Last_SQL_Errno",
            "Last_SQL_Error",
            "Executed_Gtid_Set",
            "Auto_Position",
            "Replica_SQL_Running_State"
        );

    /// <summary>MySQL before 8.0.22 <c>SHOW SLAVE STATUS</c>.</summary>
    public static ReplicaStatusColumns MySqlSlave { get; } =
        new(
            "Slave_IO_Running",
            "Slave_SQL_Running",
            "Seconds_Behind_Master",
            "Master_Host",
            "Master_Port",
            "Master_Log_File",
            "Read_Master_Log_Pos",
            "Relay_Master_Log_File",
            "Exec_Master_Log_Pos",
            "Last_IO_Errno",
            "Last_IO_Error",
            "Last_SQL_Errno",
            "Last_SQL_Error",
            "Executed_Gtid_Set",
            "Auto_Position",
            "Slave_SQL_Running_State"
        );

    /// <summary>MariaDB (10.x and 11.x keep the old names even under <c>SHOW REPLICA STATUS</c>).</summary>
    public static ReplicaStatusColumns MariaDb { get; } =
        MySqlSlave with
        {
            GtidPosition = "Gtid_IO_Pos",
            UsingGtid = "Using_Gtid",
        };
}
