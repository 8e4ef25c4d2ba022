namespace MysqlAgent.Replication.Dialects;

/// <summary>The server family; Percona Server counts as MySQL (same SQL, same GTIDs).</summary>
public enum ServerFlavor
{
    MySql,
    MariaDb,
}
