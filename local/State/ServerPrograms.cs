namespace MysqlLocal.State;

/// <summary>
/// The machine's <c>mariadbd</c> (or <c>mysqld</c>) and its install-db, searched on PATH and in
/// <c>/usr/sbin</c>, where Debian puts <c>mariadbd</c> even when it is not on PATH.
/// </summary>
public static class ServerPrograms
{
    public const string InstallCommand = "apt-get install -y mariadb-server mariadb-backup";

    private static readonly string[] WellKnownFolders =
    [
        "/usr/sbin",
        "/usr/bin",
        "/usr/local/sbin",
        "/usr/local/bin",
    ];

    /// <exception cref="LocalSetException">A program is missing; the message gives the install command.</exception>
    public static (string Server, string InstallDb) Find()
    {
        var server = Locate("mariadbd", "mysqld");
        var installDb = Locate("mariadb-install-db", "mysql_install_db");
        var backup = Locate("mariabackup", "mariadb-backup");
        if (server is null || installDb is null || backup is null)
        {
            throw new LocalSetException(
                $"MariaDB is not installed (no {(server is null ? "mariadbd" : installDb is null ? "mariadb-install-db" : "mariabackup")} on PATH or in /usr/sbin): run '{InstallCommand}' as root (./dev up does it for you)"
            );
        }

        return (server, installDb);
    }

    private static string? Locate(params string[] names)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(WellKnownFolders)
            .Distinct(StringComparer.Ordinal);
        return names
            .SelectMany(name => folders.Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }
}
