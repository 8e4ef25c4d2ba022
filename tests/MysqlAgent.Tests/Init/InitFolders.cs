namespace MysqlAgent.Tests.Init;

/// <summary>
/// A throwaway ConfigMap folder (with the example's primary.cnf and replica.cnf) and an empty
/// conf.d folder, as the pod mounts them.
/// </summary>
public sealed class InitFolders : IDisposable
{
    public const string PrimaryCnf = "[mysqld]\nlog-bin\n";
    public const string ReplicaCnf = "[mysqld]\nsuper-read-only\n";

    public InitFolders()
    {
        Root = Directory.CreateTempSubdirectory("mysql-init-test-").FullName;
        ConfigMapDir = Path.Combine(Root, "config-map");
        ConfDir = Path.Combine(Root, "conf.d");
        Directory.CreateDirectory(ConfigMapDir);
        Directory.CreateDirectory(ConfDir);
        File.WriteAllText(Path.Combine(ConfigMapDir, "primary.cnf"), PrimaryCnf);
        File.WriteAllText(Path.Combine(ConfigMapDir, "replica.cnf"), ReplicaCnf);
    }

    public string Root { get; }

    public string ConfigMapDir { get; }

    public string ConfDir { get; }

    public string ConfFile(string name) => Path.Combine(ConfDir, name);

    /// <summary>Every entry of conf.d, hidden ones (temp files) included, sorted by name.</summary>
    public string[] ConfDirEntries() =>
        [
            .. Directory
                .EnumerateFileSystemEntries(ConfDir)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Order(StringComparer.Ordinal),
        ];

    public string[] Arguments(string hostname, params string[] more) =>
        ["--hostname", hostname, "--config-map-dir", ConfigMapDir, "--conf-dir", ConfDir, .. more];

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
