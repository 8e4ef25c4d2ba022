using System.Globalization;
using MysqlAgent.Common;
using MysqlAgent.Replication.InfoFiles;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// The restored datadir's binlog-info file (<c>xtrabackup_binlog_info</c> or
/// <c>mariadb_backup_binlog_info</c>): the backup's exact position before a replay, rewritten with
/// the position reached after it, because replication setup (<see cref="CloneInfoLoader"/>) reads
/// it as the datadir's position.
/// </summary>
public static class BinlogInfoFile
{
    /// <returns>The file's path and the backup's exact GTID position (empty when the server had written none).</returns>
    /// <exception cref="RestoreFailedException">No binlog-info file, or one that does not parse.</exception>
    public static (string Path, BinlogCoverage Position) Read(string dataDir, string flavour)
    {
        var present = InfoFileNames
            .BinlogInfo.Select(name => System.IO.Path.Combine(dataDir, name))
            .Where(File.Exists)
            .ToList();
        if (present.Count != 1)
        {
            throw new RestoreFailedException(
                present.Count == 0
                    ? $"the restored backup in {dataDir} has no {string.Join(" or ", InfoFileNames.BinlogInfo)}, so its exact position is unknown and no binlog can be replayed after it; restore it with --backup ID"
                    : $"the restored backup in {dataDir} has both {string.Join(" and ", InfoFileNames.BinlogInfo)}: its position is ambiguous"
            );
        }

        var path = present[0];
        try
        {
            var info = BinlogInfoParser.Parse(path, File.ReadAllText(path));
            return (path, BinlogCoverage.Parse(flavour, info.GtidField ?? ""));
        }
        catch (Exception e) when (e is InfoFileException or FormatException)
        {
            throw new RestoreFailedException(
                $"the restored backup's {path} gives no {flavour} GTID position: {e.Message}"
            );
        }
    }

    /// <summary>Replaces the file (atomically) with the position the replay reached.</summary>
    public static void Write(
        string path,
        string binlogFile,
        long binlogPosition,
        BinlogCoverage reached
    )
    {
        ArgumentNullException.ThrowIfNull(reached);
        AtomicFile.Write(
            path,
            string.Create(
                CultureInfo.InvariantCulture,
                $"{binlogFile}\t{binlogPosition}\t{reached.Text}\n"
            )
        );
    }

    /// <summary>
    /// Removes a slave-info file: it gives the backup's position in its source, which the replay
    /// has gone past; the rewritten binlog-info file is now the datadir's only position.
    /// </summary>
    public static void RemoveSlaveInfo(string dataDir)
    {
        foreach (var name in InfoFileNames.SlaveInfo)
        {
            File.Delete(System.IO.Path.Combine(dataDir, name));
        }
    }
}
