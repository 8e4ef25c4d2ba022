namespace MysqlAgent.Replication.InfoFiles;

/// <summary>Whether the donor of a clone was the primary or a replica (it wrote a non-empty slave-info file).</summary>
public enum CloneOrigin
{
    Primary,
    Replica,
}
