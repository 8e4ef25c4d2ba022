namespace MysqlAgent.Configuration;

public enum BackupToolKind
{
    /// <summary>Chosen from the connected server: mariabackup for MariaDB, xtrabackup for MySQL.</summary>
    Auto,
    MariaBackup,
    XtraBackup,
}
