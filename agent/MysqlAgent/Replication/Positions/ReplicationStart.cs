namespace MysqlAgent.Replication.Positions;

/// <summary>Where a new replica starts reading from its source.</summary>
public abstract record ReplicationStart
{
    private protected ReplicationStart() { }
}
