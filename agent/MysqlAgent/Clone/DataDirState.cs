namespace MysqlAgent.Clone;

/// <summary>The decision about a datadir, with the reason logged for it.</summary>
public sealed record DataDirState(DataDirKind Kind, string Reason)
{
    /// <summary>Left by mkfs on ext4 volumes; never ours to delete and no sign of data.</summary>
    public const string LostAndFound = "lost+found";

    /// <summary>
    /// Decides from markers only, never from a file's content: the in-progress marker makes a datadir
    /// partial whatever else it holds; the completion marker makes it complete; a <c>mysql/</c> folder
    /// (or MySQL 8's <c>mysql.ibd</c>) without our in-progress marker is someone's real data.
    /// </summary>
    public static DataDirState Inspect(string dataDir)
    {
        if (!Directory.Exists(dataDir))
        {
            return new(DataDirKind.Empty, $"{dataDir} does not exist yet");
        }

        var names = Directory
            .EnumerateFileSystemEntries(dataDir)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n != LostAndFound)
            .ToHashSet(StringComparer.Ordinal);

        if (names.Count == 0)
        {
            return new(DataDirKind.Empty, $"{dataDir} is empty");
        }

        if (names.Contains(RecloneRequest.FileName))
        {
            // Checked first: the datadir being replaced is usually a completed clone itself.
            return new(
                DataDirKind.RecloneRequested,
                $"{dataDir} asks to be cloned again ({RecloneRequest.FileName} present)"
            );
        }

        if (names.Contains(CloneMarker.CompleteFileName))
        {
            // The completion marker is written after the last move: whatever follows it is tidying.
            return new(
                DataDirKind.CompleteClone,
                $"{dataDir} holds a completed clone ({CloneMarker.CompleteFileName} present)"
            );
        }

        if (names.Contains(CloneMarker.InProgressFileName))
        {
            return new(
                DataDirKind.Partial,
                $"{dataDir} holds a clone interrupted while it was moved into place ({CloneMarker.InProgressFileName} present)"
            );
        }

        if (names.Contains("mysql") || names.Contains("mysql.ibd"))
        {
            return new(
                DataDirKind.InitialisedData,
                $"{dataDir} holds initialised data (a mysql system schema, no clone markers)"
            );
        }

        var sample = string.Join(", ", names.Order(StringComparer.Ordinal).Take(5));
        return new(
            DataDirKind.Partial,
            names.Contains(CloneMarker.StagingFolderName)
                ? $"{dataDir} holds an unfinished clone's staging folder ({sample})"
                : $"{dataDir} holds files but no system schema and no completion marker, an earlier cut clone ({sample})"
        );
    }

    /// <summary>
    /// Empties a partial datadir, keeping <c>lost+found</c>. The in-progress marker goes last so that
    /// a crash while cleaning still reads as partial on the next start.
    /// </summary>
    public static void Clean(string dataDir)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dataDir).ToList())
        {
            var name = Path.GetFileName(entry);
            if (name is LostAndFound or CloneMarker.InProgressFileName)
            {
                continue;
            }

            Delete(entry);
        }

        Delete(CloneMarker.InProgressPath(dataDir));
    }

    internal static void Delete(string path)
    {
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            File.Delete(path);
        }
    }
}
