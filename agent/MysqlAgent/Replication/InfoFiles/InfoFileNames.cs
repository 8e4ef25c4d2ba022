namespace MysqlAgent.Replication.InfoFiles;

/// <summary>
/// The names the backup tools give their info files: XtraBackup and MariaDB up to 10.11 write
/// <c>xtrabackup_*</c>, MariaDB 11.x <c>mariadb_backup_*</c>. Either is accepted.
/// </summary>
public static class InfoFileNames
{
    /// <summary>The donor's own binlog position (and GTID state) at the moment of the backup.</summary>
    public static IReadOnlyList<string> BinlogInfo { get; } =
    ["xtrabackup_binlog_info", "mariadb_backup_binlog_info"];

    /// <summary>Written only when the donor was a replica: its position in its own source's binlog.</summary>
    public static IReadOnlyList<string> SlaveInfo { get; } =
    ["xtrabackup_slave_info", "mariadb_backup_slave_info"];

    /// <summary>True when the datadir holds any clone info file, under either tool's naming.</summary>
    public static bool AnyPresentIn(string dataDirectory) =>
        BinlogInfo.Concat(SlaveInfo).Any(name => File.Exists(Path.Combine(dataDirectory, name)));
}
