namespace MysqlAgent.Replication.Positions;

/// <summary>MariaDB GTID replication: <c>gtid_slave_pos</c> becomes <see cref="SlavePosition"/>, then <c>MASTER_USE_GTID=slave_pos</c>.</summary>
public sealed record MariaDbGtidStart(MariaDbGtidPosition SlavePosition) : ReplicationStart;
