namespace MysqlAgent.Clone;

/// <summary>
/// Moves a prepared backup from the staging folder into the datadir under the marker protocol of
/// <see cref="CloneMarker"/>: in-progress marker, one rename per top-level entry (same volume, so
/// no copy), completion marker, then the in-progress marker removed last. The info files
/// (<c>xtrabackup_binlog_info</c>, <c>xtrabackup_slave_info</c>, <c>mariadb_backup_*</c>) move
/// with the rest: replication setup reads them from the datadir.
/// </summary>
public static class CloneInstaller
{
    public static int Install(string dataDir, CloneCompletion completion)
    {
        var staging = CloneMarker.StagingPath(dataDir);
        CloneMarker.WriteInProgress(dataDir, completion.Donor, completion.CompletedAt);
        var moved = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(staging).ToList())
        {
            var target = Path.Combine(dataDir, Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                Directory.Move(entry, target);
            }
            else
            {
                File.Move(entry, target);
            }

            moved++;
        }

        CloneMarker.WriteComplete(dataDir, completion);
        Directory.Delete(staging, recursive: true);
        File.Delete(CloneMarker.InProgressPath(dataDir));
        return moved;
    }
}
