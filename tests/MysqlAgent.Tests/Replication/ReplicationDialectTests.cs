using MysqlAgent.Replication.Dialects;

namespace MysqlAgent.Tests.Replication;

public class ReplicationDialectTests
{
    [Theory]
    [InlineData(
        "8.4.3",
        "SHOW REPLICA STATUS",
        "STOP REPLICA",
        "RESET REPLICA ALL",
        "SHOW BINARY LOG STATUS",
        "RESET BINARY LOGS AND GTIDS"
    )]
    [InlineData(
        "8.0.36-28",
        "SHOW REPLICA STATUS",
        "STOP REPLICA",
        "RESET REPLICA ALL",
        "SHOW MASTER STATUS",
        "RESET MASTER"
    )]
    [InlineData(
        "8.0.22",
        "SHOW REPLICA STATUS",
        "STOP REPLICA",
        "RESET REPLICA ALL",
        "SHOW MASTER STATUS",
        "RESET MASTER"
    )]
    [InlineData(
        "8.0.21",
        "SHOW SLAVE STATUS",
        "STOP SLAVE",
        "RESET SLAVE ALL",
        "SHOW MASTER STATUS",
        "RESET MASTER"
    )]
    [InlineData(
        "5.7.44-log",
        "SHOW SLAVE STATUS",
        "STOP SLAVE",
        "RESET SLAVE ALL",
        "SHOW MASTER STATUS",
        "RESET MASTER"
    )]
    [InlineData(
        "10.11.19-MariaDB-0+deb12u1-log",
        "SHOW SLAVE STATUS",
        "STOP SLAVE",
        "RESET SLAVE ALL",
        "SHOW MASTER STATUS",
        null
    )]
    [InlineData(
        "11.4.2-MariaDB",
        "SHOW SLAVE STATUS",
        "STOP SLAVE",
        "RESET SLAVE ALL",
        "SHOW MASTER STATUS",
        null
    )]
    public void Each_server_gets_its_own_read_and_stop_statements(
        string version,
        string status,
        string stop,
        string reset,
        string binaryLogStatus,
        string? resetGtids
    )
    {
        var dialect = ReplicationDialect.For(ServerVersionInfo.Parse(version));

        Assert.Equal(status, dialect.ReplicaStatus);
        Assert.Equal(stop, dialect.StopReplica);
        Assert.Equal(reset, dialect.ResetReplicaAll);
        Assert.Equal(binaryLogStatus, dialect.BinaryLogStatus);
        Assert.Equal(resetGtids, dialect.ResetGtidHistory);
    }

    [Theory]
    [InlineData(
        "8.4.3",
        "Replica_IO_Running",
        "Seconds_Behind_Source",
        "Source_Host",
        "Executed_Gtid_Set"
    )]
    [InlineData(
        "8.0.22",
        "Replica_IO_Running",
        "Seconds_Behind_Source",
        "Source_Host",
        "Executed_Gtid_Set"
    )]
    [InlineData(
        "8.0.21",
        "Slave_IO_Running",
        "Seconds_Behind_Master",
        "Master_Host",
        "Executed_Gtid_Set"
    )]
    [InlineData(
        "5.7.44-log",
        "Slave_IO_Running",
        "Seconds_Behind_Master",
        "Master_Host",
        "Executed_Gtid_Set"
    )]
    [InlineData(
        "10.11.19-MariaDB",
        "Slave_IO_Running",
        "Seconds_Behind_Master",
        "Master_Host",
        "Gtid_IO_Pos"
    )]
    public void Status_columns_follow_the_server_naming(
        string version,
        string io,
        string lag,
        string host,
        string gtid
    )
    {
        var columns = ReplicationDialect.For(ServerVersionInfo.Parse(version)).Columns;

        Assert.Equal(io, columns.IoRunning);
        Assert.Equal(io.Replace("IO", "SQL", StringComparison.Ordinal), columns.SqlRunning);
        Assert.Equal(lag, columns.SecondsBehindSource);
        Assert.Equal(host, columns.SourceHost);
        Assert.Equal(gtid, columns.GtidPosition);
        Assert.Equal("Last_IO_Errno", columns.LastIoErrno);
        Assert.Equal("Last_SQL_Error", columns.LastSqlError);
    }
}
