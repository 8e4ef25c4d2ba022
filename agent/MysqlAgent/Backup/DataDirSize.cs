namespace MysqlAgent.Backup;

/// <summary>
/// The datadir's size, sent to the clone before the stream so it can estimate the time left. An
/// estimate only: the stream leaves out some files and adds the redo log copied during the backup.
/// </summary>
public static class DataDirSize
{
    public static long? TryMeasure(string dataDir)
    {
        try
        {
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = true,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.ReparsePoint,
            };
            long total = 0;
            foreach (var file in new DirectoryInfo(dataDir).EnumerateFiles("*", options))
            {
                total += file.Length;
            }

            return total;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
