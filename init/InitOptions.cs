namespace MysqlInit;

/// <summary>What one run of mysql-init was asked to do, after the command line and environment are merged.</summary>
internal sealed record InitOptions(
    string? Hostname,
    string ConfigMapDir,
    string ConfDir,
    ulong ServerIdOffset,
    string? Service,
    bool DryRun
);
