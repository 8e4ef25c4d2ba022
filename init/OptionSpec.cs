namespace MysqlInit;

/// <summary>One command-line option: the parser and the help text both read this table, so they cannot drift.</summary>
internal sealed record OptionSpec(
    string Name,
    string? EnvironmentVariable,
    string? Default,
    string? ValueName,
    string Description
)
{
    public bool TakesValue => ValueName is not null;

    public const string Hostname = "--hostname";
    public const string ConfigMapDir = "--config-map-dir";
    public const string ConfDir = "--conf-dir";
    public const string ServerIdOffset = "--server-id-offset";
    public const string Service = "--service";
    public const string DryRun = "--dry-run";
    public const string Help = "--help";
    public const string Version = "--version";

    public static readonly IReadOnlyList<OptionSpec> All =
    [
        new(
            Hostname,
            "HOSTNAME",
            null,
            "NAME",
            "pod name <statefulset>-<ordinal> (or an FQDN starting with it); required"
        ),
        new(
            ConfigMapDir,
            "MYSQL_INIT_CONFIG_MAP_DIR",
            "/mnt/config-map",
            "DIR",
            "folder holding primary.cnf and replica.cnf (the mounted ConfigMap)"
        ),
        new(
            ConfDir,
            "MYSQL_INIT_CONF_DIR",
            "/mnt/conf.d",
            "DIR",
            "existing folder to write into (the emptyDir mysqld reads as conf.d)"
        ),
        new(
            ServerIdOffset,
            "MYSQL_INIT_SERVER_ID_OFFSET",
            "100",
            "N",
            "server-id = N + ordinal; must stay within 1..4294967295"
        ),
        new(
            Service,
            "MYSQL_INIT_SERVICE",
            null,
            "NAME",
            "headless service; when set, writes report_host=<pod>.<service>"
        ),
        new(
            DryRun,
            null,
            null,
            null,
            "check every input and print what would be written; write nothing"
        ),
        new(Help, null, null, null, "print this help and exit"),
        new(Version, null, null, null, "print the version and exit"),
    ];

    public static OptionSpec? Find(string name)
    {
        foreach (var spec in All)
        {
            if (spec.Name == name)
            {
                return spec;
            }
        }

        return null;
    }
}
