using MysqlAgent.TestSupport;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>The built programs of this repository, for the configuration the tests were built in.</summary>
public static class Binaries
{
    public static string RepositoryRoot => Repository.Root;

    private static string Configuration => Repository.Configuration;

    public static string Local => Existing("local", "bin", Configuration, "net10.0", "mysql-local");

    public static string Agent =>
        Existing("agent", "MysqlAgent", "bin", Configuration, "net10.0", "mysql-agent");

    public static string Init =>
        Existing("init", "bin", Configuration, "net10.0", "linux-x64", "mysql-init");

    public static string ConfigMapDir =>
        Path.Combine(RepositoryRoot, "manifests", "overlays", "mariadb");

    private static string Existing(params string[] parts) => Repository.Built(parts);
}
