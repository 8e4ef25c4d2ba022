namespace MysqlLocal.Commands;

/// <summary>
/// Where the binaries and the ConfigMap are by default: in the repository that holds the current
/// folder (or this program), as <c>./dev up</c> publishes them.
/// </summary>
public static class RepositoryDefaults
{
    public static string? Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MysqlAgent.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    public static string InitBinary(string? root) =>
        Path.Combine(root ?? ".", "artifacts", "mysql-init", "mysql-init");

    public static string AgentBinary(string? root) =>
        Path.Combine(root ?? ".", "artifacts", "mysql-agent", "mysql-agent");

    public static string ConfigMapDir(string? root) =>
        Path.Combine(root ?? ".", "manifests", "overlays", "mariadb");
}
