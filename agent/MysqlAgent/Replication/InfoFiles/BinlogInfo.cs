using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Replication.InfoFiles;

/// <summary>
/// The parsed binlog-info file. <see cref="GtidField"/> is null when the file has only two fields and
/// empty when the third field is present but empty (a fresh MariaDB primary writes
/// <c>file&lt;TAB&gt;pos&lt;TAB&gt;</c>). A non-empty field is parsed as exactly one of the two GTID kinds.
/// </summary>
public sealed record BinlogInfo(
    BinlogCoordinates Coordinates,
    string? GtidField,
    MysqlGtidSet? MysqlGtid,
    MariaDbGtidPosition? MariaDbGtid
);
