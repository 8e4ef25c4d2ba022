namespace MysqlAgent.Tests.Manifests;

/// <summary>Finds files of this repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            directory is not null;
            directory = directory.Parent
        )
        {
            if (File.Exists(Path.Combine(directory.FullName, "MysqlAgent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"no MysqlAgent.sln above {AppContext.BaseDirectory}: run the tests from the repository"
        );
    }
}
