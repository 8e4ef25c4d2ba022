using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Replication.InfoFiles;

/// <summary>
/// What a clone's info files say, with both raw values kept so the setup code can pick GTID or
/// file/position replication from the server's GTID mode.
/// </summary>
/// <param name="SlaveInfoStart">The donor's position in its own source: non-null exactly when <paramref name="Origin"/> is <see cref="CloneOrigin.Replica"/>.</param>
/// <param name="BinlogInfo">The donor's own binlog position; from a replica donor only its GTID state is of use.</param>
public sealed record CloneInfo(
    string DataDirectory,
    CloneOrigin Origin,
    string? BinlogInfoPath,
    BinlogInfo? BinlogInfo,
    string? SlaveInfoPath,
    ReplicationStart? SlaveInfoStart
)
{
    /// <summary>
    /// The binlog file and position in the primary to start from, or null when the clone does not
    /// carry one (a replica donor that replicated by GTID: its own binlog coordinates mean nothing
    /// to the primary).
    /// </summary>
    public FilePositionStart? FilePositionStart =>
        Origin == CloneOrigin.Replica ? SlaveInfoStart as FilePositionStart
        : BinlogInfo is { } info ? new FilePositionStart(info.Coordinates)
        : null;

    /// <summary>
    /// The GTID state to start from on a server of <paramref name="flavor"/>, or null when the clone
    /// carries none. A MySQL replica donor's executed set is valid even when it replicated by
    /// file/position, since MySQL GTIDs are global; a MariaDB replica donor's GTID is used only
    /// when it replicated by GTID (its own <c>gtid_binlog_pos</c> may include local domains).
    /// </summary>
    /// <exception cref="InfoFileException">The clone's GTID is of the other flavor (a clone of MariaDB on MySQL or back).</exception>
    public ReplicationStart? GtidStart(ServerFlavor flavor)
    {
        switch (SlaveInfoStart)
        {
            case MysqlGtidStart mysql when flavor == ServerFlavor.MySql:
                return mysql;
            case MariaDbGtidStart mariaDb when flavor == ServerFlavor.MariaDb:
                return mariaDb;
            case MysqlGtidStart or MariaDbGtidStart:
                throw FlavorMismatch(SlaveInfoPath!, flavor);
        }

        if (BinlogInfo is not { } info)
        {
            return null;
        }

        if (flavor == ServerFlavor.MySql)
        {
            if (info.MariaDbGtid is not null)
            {
                throw FlavorMismatch(BinlogInfoPath!, flavor);
            }

            // Two fields only: the donor had GTIDs off, there is nothing to auto-position from.
            return info.MysqlGtid is { } set ? new MysqlGtidStart(set)
                : info.GtidField is null ? null
                : new MysqlGtidStart(MysqlGtidSet.Empty);
        }

        if (info.MysqlGtid is not null)
        {
            throw FlavorMismatch(BinlogInfoPath!, flavor);
        }

        // From a MariaDB primary the third field is its gtid_current_pos; empty or missing means it
        // never wrote a GTID, and an empty gtid_slave_pos is then the right start.
        return Origin == CloneOrigin.Primary
            ? new MariaDbGtidStart(info.MariaDbGtid ?? MariaDbGtidPosition.Empty)
            : null;
    }

    /// <summary>The start for GTID (<paramref name="useGtid"/>) or file/position replication.</summary>
    /// <exception cref="InfoFileException">The clone carries no start of that kind.</exception>
    public ReplicationStart ChooseStart(ServerFlavor flavor, bool useGtid)
    {
        if (useGtid)
        {
            return GtidStart(flavor)
                ?? throw new InfoFileException(
                    SlaveInfoPath ?? BinlogInfoPath ?? DataDirectory,
                    "a GTID position because the server uses GTIDs, but the donor had none (GTIDs off, or a replica donor replicating by file/position)"
                );
        }

        return FilePositionStart
            ?? throw new InfoFileException(
                SlaveInfoPath ?? BinlogInfoPath ?? DataDirectory,
                "a binlog file and position because the server does not use GTIDs, but the donor was a replica that replicated by GTID"
            );
    }

    private static InfoFileException FlavorMismatch(string path, ServerFlavor flavor) =>
        new(
            path,
            flavor == ServerFlavor.MySql
                ? "a MySQL GTID set because this server is MySQL, but the clone holds a MariaDB GTID"
                : "a MariaDB GTID position because this server is MariaDB, but the clone holds a MySQL GTID set"
        );
}
