namespace MysqlAgent.Replication.Positions;

/// <summary>Start at a binlog file and offset of the source (any server, GTID or not).</summary>
public sealed record FilePositionStart(BinlogCoordinates Coordinates) : ReplicationStart;
