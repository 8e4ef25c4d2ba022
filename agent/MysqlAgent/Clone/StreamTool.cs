using MysqlAgent.Configuration;

namespace MysqlAgent.Clone;

/// <summary>The extractor and the prepare tool of one backup family: mbstream + mariabackup, or xbstream + xtrabackup.</summary>
public sealed record StreamTool(string Extractor, string Preparer)
{
    public static StreamTool MariaDb { get; } = new("mbstream", "mariabackup");

    public static StreamTool MySql { get; } = new("xbstream", "xtrabackup");

    /// <summary>
    /// The paths given win; else the family named by the donor's <c>X-Backup-Tool</c>
    /// header, else by --backup-tool, else mbstream when it is on PATH, else xbstream.
    /// </summary>
    public static StreamTool Choose(
        AgentOptions options,
        string? donorHeader,
        Func<string, bool> isOnPath
    )
    {
        var family = donorHeader?.Trim().ToLowerInvariant() switch
        {
            "mariabackup" or "mariadb-backup" or "mbstream" => MariaDb,
            "xtrabackup" or "xbstream" => MySql,
            _ => options.BackupTool switch
            {
                BackupToolKind.MariaBackup => MariaDb,
                BackupToolKind.XtraBackup => MySql,
                _ => isOnPath(MariaDb.Extractor) ? MariaDb : MySql,
            },
        };
        return new StreamTool(
            options.StreamToolPath ?? family.Extractor,
            options.BackupToolPath ?? family.Preparer
        );
    }

    public static bool IsOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}
