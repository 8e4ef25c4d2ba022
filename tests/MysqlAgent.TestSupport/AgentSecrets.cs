namespace MysqlAgent.TestSupport;

/// <summary>
/// mysql-agent's passwords and token as its environment variables: the agent refuses them as plain
/// values on a command line, so tests hand them over the way a pod does without a Secret file.
/// </summary>
public sealed record AgentSecrets(
    string? AdminPassword = "admin-secret",
    string? ReplicationPassword = "repl-secret",
    string? BackupPassword = "backup-secret",
    string? BackupToken = "token"
)
{
    /// <summary>The variables to give a real <c>mysql-agent</c> process.</summary>
    public IReadOnlyDictionary<string, string?> Variables =>
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["MYSQL_AGENT_ADMIN_PASSWORD"] = AdminPassword,
            ["MYSQL_AGENT_REPLICATION_PASSWORD"] = ReplicationPassword,
            ["MYSQL_AGENT_BACKUP_PASSWORD"] = BackupPassword,
            ["MYSQL_AGENT_BACKUP_TOKEN"] = BackupToken,
        };

    /// <summary>An environment lookup for the agent's in-process option reader.</summary>
    public string? Environment(string name) => Variables.GetValueOrDefault(name);
}
