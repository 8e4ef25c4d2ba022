namespace MysqlAgent.Configuration;

public enum ReplicationMode
{
    /// <summary>GTID auto-positioning when the servers and the clone's info files have GTIDs, else file/position.</summary>
    Auto,
    Gtid,
    FilePosition,
}
