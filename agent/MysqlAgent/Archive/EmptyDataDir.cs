namespace MysqlAgent.Archive;

/// <summary>The one rule of every restore: it writes only into an empty or missing folder, and touches nothing else.</summary>
public static class EmptyDataDir
{
    /// <exception cref="RestoreFailedException">The folder holds anything; <paramref name="fix"/> says what to do.</exception>
    public static void Require(string dataDir, string fix)
    {
        if (Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Any())
        {
            throw new RestoreFailedException($"--data-dir {dataDir} is not empty: {fix}");
        }
    }
}
