namespace MysqlAgent.Replication.Positions;

/// <summary>
/// MySQL GTID auto-positioning: the replica's GTID history becomes <see cref="GtidPurged"/> (what the
/// clone already contains), then the source sends every transaction outside it.
/// </summary>
public sealed record MysqlGtidStart(MysqlGtidSet GtidPurged) : ReplicationStart;
