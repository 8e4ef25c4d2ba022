namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>The built programs of this repository, for the configuration the tests were built in.</summary>
public static class Binaries
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot => Root.Value;

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string Local => Existing("local", "bin", Configuration, "net10.0", "mysql-local");

    public static string Agent =>
        Existing("agent", "MysqlAgent", "bin", Configuration, "net10.0", "mysql-agent");

    public static string Init =>
        Existing("init", "bin", Configuration, "net10.0", "linux-x64", "mysql-init");

    public static string ConfigMapDir =>
        Path.Combine(RepositoryRoot, "manifests", "overlays", "mariadb");

    private static string Existing(params string[] parts)
    {
        var path = Path.Combine([RepositoryRoot, .. parts]);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{path} is not built: run dotnet build MysqlAgent.sln -c {Configuration}"
            );
    }

    private static string FindRoot()
    {
        for (
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            dir is not null;
            dir = dir.Parent
        )
        {
            if (File.Exists(Path.Combine(dir.FullName, "MysqlAgent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no MysqlAgent.sln above {AppContext.BaseDirectory}");
    }
}
