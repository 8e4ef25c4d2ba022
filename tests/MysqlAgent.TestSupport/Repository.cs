namespace MysqlAgent.TestSupport;

/// <summary>
/// The checkout the tests run from (the folder holding MysqlAgent.sln above the test's output
/// folder), and the configuration they were built in (bin/&lt;configuration&gt;/net10.0/).
/// </summary>
public static class Repository
{
    private static readonly Lazy<string> FoundRoot = new(FindRoot);

    public static string Root => FoundRoot.Value;

    /// <summary>Release or Debug: the configuration of the running test assembly.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>A path inside the checkout.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A program built in this checkout for the tests' configuration, or a one-line error saying how to build it.</summary>
    public static string Built(params string[] parts)
    {
        var path = Of(parts);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{path} is not built: run dotnet build MysqlAgent.sln -c {Configuration}"
            );
    }

    /// <summary>The <c>mysql-agent</c> program built beside the tests.</summary>
    public static string Agent =>
        Built("agent", "MysqlAgent", "bin", Configuration, "net10.0", "mysql-agent");

    private static string FindRoot()
    {
        for (
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            folder is not null;
            folder = folder.Parent
        )
        {
            if (File.Exists(Path.Combine(folder.FullName, "MysqlAgent.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"no MysqlAgent.sln above {AppContext.BaseDirectory}: run the tests from the repository"
        );
    }
}
