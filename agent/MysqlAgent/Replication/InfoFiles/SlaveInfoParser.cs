using System.Text.RegularExpressions;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Replication.InfoFiles;

/// <summary>
/// Parses <c>xtrabackup_slave_info</c> / <c>mariadb_backup_slave_info</c> against the few statement
/// shapes the tools write; the text is never executed. Empty means the donor was not a replica.
/// Accepted (any case and spacing, final semicolon optional, <c>CHANGE REPLICATION SOURCE</c>
/// spellings too, only the default channel):
/// <list type="bullet">
/// <item><c>CHANGE MASTER TO MASTER_LOG_FILE='f', MASTER_LOG_POS=n;</c></item>
/// <item><c>SET GLOBAL gtid_purged='set'; CHANGE MASTER TO MASTER_AUTO_POSITION=1;</c> (MySQL)</item>
/// <item><c>SET GLOBAL gtid_slave_pos = 'pos'; CHANGE MASTER TO master_use_gtid = slave_pos;</c> (MariaDB)</item>
/// </list>
/// </summary>
public static partial class SlaveInfoParser
{
    private const string Expected =
        "an empty file, \"CHANGE MASTER TO MASTER_LOG_FILE='<file>', MASTER_LOG_POS=<n>;\", "
        + "\"SET GLOBAL gtid_purged='<set>'; CHANGE MASTER TO MASTER_AUTO_POSITION=1;\" or "
        + "\"SET GLOBAL gtid_slave_pos='<pos>'; CHANGE MASTER TO master_use_gtid=slave_pos;\"";

    /// <param name="path">The file the text came from, for error messages only.</param>
    /// <returns>The donor's position in its own source, or null when the file is empty.</returns>
    /// <exception cref="InfoFileException">The text is none of the accepted shapes, or a value in it is invalid.</exception>
    public static ReplicationStart? Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = FilePosition().Match(text);
        if (match.Success)
        {
            var file = match.Groups["file"].Value;
            var position = match.Groups["pos"].Value;
            return BinlogCoordinates.TryParse(file, position, out var coordinates, out var error)
                ? new FilePositionStart(coordinates!)
                : throw new InfoFileException(path, error!, file + ", " + position);
        }

        match = MysqlGtid().Match(text);
        if (match.Success)
        {
            var gtid = match.Groups["gtid"].Value;
            return MysqlGtidSet.TryParse(gtid, out var set, out var error)
                ? new MysqlGtidStart(set!)
                : throw new InfoFileException(path, "gtid_purged to be " + error, gtid);
        }

        match = MariaDbGtid().Match(text);
        if (match.Success)
        {
            var gtid = match.Groups["gtid"].Value;
            return MariaDbGtidPosition.TryParse(gtid, out var position, out var error)
                ? new MariaDbGtidStart(position!)
                : throw new InfoFileException(path, "gtid_slave_pos to be " + error, gtid);
        }

        throw new InfoFileException(path, Expected, text.TrimStart());
    }

    private const string Change = @"CHANGE\s+(?:MASTER|REPLICATION\s+SOURCE)\s+TO\s+";
    private const string DefaultChannel = @"(?:\s+FOR\s+CHANNEL\s+'')?";
    private const string End = @"\s*;?\s*\z";
    private const string SetGlobal = @"\A\s*SET\s+(?:GLOBAL\s+|@@GLOBAL\.)";

    // Quoted values stop at the first quote and may not contain a backslash: nothing the tools
    // write needs either, and it rules out every escape trick before the values are validated.
    [GeneratedRegex(
        @"\A\s*"
            + Change
            + @"(?:MASTER|SOURCE)_LOG_FILE\s*=\s*'(?<file>[^'\\]*)'\s*,\s*(?:MASTER|SOURCE)_LOG_POS\s*=\s*(?<pos>[0-9]+)"
            + DefaultChannel
            + End,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    )]
    private static partial Regex FilePosition();

    [GeneratedRegex(
        SetGlobal
            + @"gtid_purged\s*=\s*'(?<gtid>[^'\\]*)'\s*;\s*"
            + Change
            + @"(?:MASTER|SOURCE)_AUTO_POSITION\s*=\s*1"
            + DefaultChannel
            + End,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    )]
    private static partial Regex MysqlGtid();

    [GeneratedRegex(
        SetGlobal
            + @"gtid_slave_pos\s*=\s*'(?<gtid>[^'\\]*)'\s*;\s*CHANGE\s+MASTER\s+TO\s+master_use_gtid\s*=\s*slave_pos"
            + End,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    )]
    private static partial Regex MariaDbGtid();
}
