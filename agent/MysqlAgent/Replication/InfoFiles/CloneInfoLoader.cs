namespace MysqlAgent.Replication.InfoFiles;

/// <summary>
/// Finds and parses a cloned data directory's info files (either naming). A non-empty slave-info
/// file wins: the donor was a replica and its position in the primary is in there. Otherwise the
/// binlog-info file is the donor's (the primary's) own position.
/// </summary>
public static class CloneInfoLoader
{
    // Far above any real info file (a GTID set of thousands of UUIDs), far below a mistake.
    private const long MaxInfoFileBytes = 1024 * 1024;

    /// <exception cref="NoCloneInfoException">Neither info file is present.</exception>
    /// <exception cref="InfoFileException">A file is malformed, duplicated under both names, or the pair says nothing usable.</exception>
    public static CloneInfo Load(string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var binlogInfoPath = FindOne(dataDirectory, InfoFileNames.BinlogInfo);
        var slaveInfoPath = FindOne(dataDirectory, InfoFileNames.SlaveInfo);
        if (binlogInfoPath is null && slaveInfoPath is null)
        {
            throw new NoCloneInfoException(dataDirectory);
        }

        var binlogInfo = binlogInfoPath is null
            ? null
            : BinlogInfoParser.Parse(binlogInfoPath, Read(binlogInfoPath));
        var slaveStart = slaveInfoPath is null
            ? null
            : SlaveInfoParser.Parse(slaveInfoPath, Read(slaveInfoPath));

        if (slaveStart is not null)
        {
            return new CloneInfo(
                dataDirectory,
                CloneOrigin.Replica,
                binlogInfoPath,
                binlogInfo,
                slaveInfoPath,
                slaveStart
            );
        }

        if (binlogInfo is null)
        {
            throw new InfoFileException(
                slaveInfoPath!,
                $"{InfoFileNames.BinlogInfo[0]} next to an empty slave-info file (a primary donor must have binary logging on)"
            );
        }

        return new CloneInfo(
            dataDirectory,
            CloneOrigin.Primary,
            binlogInfoPath,
            binlogInfo,
            slaveInfoPath,
            null
        );
    }

    private static string? FindOne(string dataDirectory, IReadOnlyList<string> names)
    {
        var present = names
            .Select(name => Path.Combine(dataDirectory, name))
            .Where(File.Exists)
            .ToList();
        return present.Count switch
        {
            0 => null,
            1 => present[0],
            _ => throw new InfoFileException(
                present[1],
                $"only one of {string.Join(" and ", names)} (both are present, so it is unclear which backup wrote them)"
            ),
        };
    }

    private static string Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxInfoFileBytes)
        {
            throw new InfoFileException(
                path,
                $"a small text file (at most {MaxInfoFileBytes} bytes), found {length} bytes"
            );
        }

        return File.ReadAllText(path);
    }
}
