namespace MysqlBench.Failover;

/// <summary>
/// What one application client (<see cref="MysqlAgent.TestSupport.Failover.ApplicationClient"/>)
/// saw of a run's fault, in seconds: <see cref="GapSeconds"/>, from its last write acknowledged
/// before the fault to its first one after; <see cref="BeyondFailoverSeconds"/>, its first write
/// after the fault minus the bench writer's (the set's failover time itself: that writer retries
/// every 100 ms on a new connection with 3 s connect and 5 s read timeouts). Null when the client
/// had no write after the fault by the deadline.
/// </summary>
internal sealed record ClientGap(
    string Client,
    double? GapSeconds,
    double? BeyondFailoverSeconds,
    int Acknowledged,
    int Errors
);
