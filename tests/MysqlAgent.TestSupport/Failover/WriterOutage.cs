namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// A fault as <see cref="PrimaryWriter"/> saw it: the last write acknowledged before the first
/// failure (the server was alive then), the first failure, and the first acknowledged write after it.
/// </summary>
public sealed record WriterOutage(
    TimeSpan LastBefore,
    TimeSpan FirstError,
    AcknowledgedWrite Resumed
);
