using System.Text.RegularExpressions;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Replication.InfoFiles;

/// <summary>
/// Parses <c>xtrabackup_binlog_info</c> / <c>mariadb_backup_binlog_info</c>:
/// <c>file&lt;TAB&gt;position[&lt;TAB&gt;gtid]</c>, where a MySQL GTID set may continue on further lines
/// (<c>uuid:1-5,\nuuid2:1-9</c>). When mariabackup lists several binlog files, every line but the
/// last carries <c>[]</c> instead of a GTID; the last line is the position.
/// </summary>
public static partial class BinlogInfoParser
{
    private const string Expected =
        "'<binlog file><TAB><position>[<TAB><GTID set or MariaDB GTID position>]'";

    /// <param name="path">The file the text came from, for error messages only.</param>
    /// <exception cref="InfoFileException">The text is not a binlog-info file.</exception>
    public static BinlogInfo Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);

        var records = new List<(string File, string Position, string? Gtid)>();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var match = RecordStart().Match(line);
            if (match.Success && BinlogCoordinates.IsValidFileName(match.Groups["file"].Value))
            {
                records.Add(
                    (
                        match.Groups["file"].Value,
                        match.Groups["pos"].Value,
                        match.Groups["gtid"].Success ? match.Groups["gtid"].Value : null
                    )
                );
            }
            else if (
                records.Count > 0
                && records[^1].Gtid is { } gtid
                && gtid.TrimEnd().EndsWith(',')
            )
            {
                // Continuation of a multi-line MySQL GTID set: only after a trailing comma.
                records[^1] = records[^1] with
                {
                    Gtid = gtid + "\n" + line,
                };
            }
            else if (!string.IsNullOrWhiteSpace(line))
            {
                throw new InfoFileException(path, Expected, line);
            }
        }

        if (records.Count == 0)
        {
            throw new InfoFileException(path, Expected, text);
        }

        foreach (var earlier in records.SkipLast(1))
        {
            if (earlier.Gtid is not null && earlier.Gtid.Trim() is not ("" or "[]"))
            {
                throw new InfoFileException(
                    path,
                    "one binlog position (earlier lines may only list older binlog files with '[]')",
                    earlier.File
                );
            }
        }

        var (file, position, gtidField) = records[^1];
        if (!BinlogCoordinates.TryParse(file, position, out var coordinates, out var error))
        {
            throw new InfoFileException(path, error!, file + "\t" + position);
        }

        var gtidText = gtidField?.Trim() ?? "";
        if (gtidText.Length == 0)
        {
            return new BinlogInfo(coordinates!, gtidField is null ? null : "", null, null);
        }

        if (gtidText.Contains(':', StringComparison.Ordinal))
        {
            return MysqlGtidSet.TryParse(gtidText, out var set, out error)
                ? new BinlogInfo(coordinates!, gtidText, set, null)
                : throw new InfoFileException(path, "a third field that is " + error, gtidText);
        }

        return MariaDbGtidPosition.TryParse(gtidText, out var mariaDb, out error)
            ? new BinlogInfo(coordinates!, gtidText, null, mariaDb)
            : throw new InfoFileException(
                path,
                "a third field that is a MySQL GTID set (uuid:1-5) or a MariaDB GTID position (0-100-14)",
                gtidText
            );
    }

    // The file is validated separately; the position is checked to be a number by TryParse so that
    // a bad one gets its own message. Fields are tab separated (spaces tolerated, as the docs show).
    [GeneratedRegex(
        @"\A(?<file>[^\s]+)[\t ]+(?<pos>[^\s]+)(?:\t(?<gtid>.*)|[\t ]*)\z",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex RecordStart();
}
