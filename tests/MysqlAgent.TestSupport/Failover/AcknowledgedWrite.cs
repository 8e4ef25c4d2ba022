namespace MysqlAgent.TestSupport.Failover;

/// <summary>One write <see cref="PrimaryWriter"/> saw acknowledged: its id and when (on the writer's clock) the COMMIT was.</summary>
public sealed record AcknowledgedWrite(long Id, TimeSpan At);
