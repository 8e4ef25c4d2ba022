namespace MysqlBench.Failover;

/// <summary>The fault a failover run injects into the primary.</summary>
internal enum FailoverScenario
{
    /// <summary>A switchover first, then the new primary frozen (SIGSTOP of its agent and mysqld) for 30 s, then thawed.</summary>
    Frozen,

    /// <summary>The primary's mysqld killed (SIGKILL) and kept from starting until writes are back through another pod.</summary>
    MysqldDown,
}
