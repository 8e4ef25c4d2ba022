namespace MysqlAgent.TestSupport;

/// <summary>
/// Full paths of the MariaDB programs the real-server tests run. <c>/usr/sbin</c> is searched even
/// when it is not on PATH, because Debian installs <c>mariadbd</c> there.
/// </summary>
public sealed record ServerBinaries(
    string Server,
    string InstallDb,
    string Backup,
    string StreamExtractor
)
{
    private static readonly string[] WellKnownFolders =
    [
        "/usr/sbin",
        "/usr/bin",
        "/usr/local/sbin",
        "/usr/local/bin",
    ];

    private static readonly Lazy<ServerBinaries> Found = new(Find);

    /// <summary>The programs of this machine, looked up once per test run.</summary>
    /// <exception cref="ServerBinariesNotFoundException">One of them is not installed.</exception>
    public static ServerBinaries Default => Found.Value;

    /// <summary>True when every program is installed, for tests that would rather skip than fail.</summary>
    public static bool AreInstalled
    {
        get
        {
            try
            {
                _ = Default;
                return true;
            }
            catch (ServerBinariesNotFoundException)
            {
                return false;
            }
        }
    }

    public static ServerBinaries Find() =>
        new(
            Locate("mariadbd", "mysqld"),
            Locate("mariadb-install-db", "mysql_install_db"),
            Locate("mariabackup", "mariadb-backup"),
            Locate("mbstream")
        );

    private static string Locate(params string[] names)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(WellKnownFolders)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var name in names)
        {
            foreach (var folder in folders)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new ServerBinariesNotFoundException(names[0], WellKnownFolders.Prepend("PATH"));
    }
}
