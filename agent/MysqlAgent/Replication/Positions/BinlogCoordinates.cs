using System.Globalization;
using System.Text.RegularExpressions;

namespace MysqlAgent.Replication.Positions;

/// <summary>A position in the source's binary log: a file name such as <c>mysql-bin.000002</c> and a byte offset.</summary>
public sealed partial record BinlogCoordinates
{
    private BinlogCoordinates(string file, ulong position)
    {
        File = file;
        Position = position;
    }

    public string File { get; }

    public ulong Position { get; }

    /// <summary>Builds coordinates from typed values; the file name must be a bare binlog name (letters, digits, '.', '_', '-', ending in '.NNNNNN').</summary>
    /// <exception cref="FormatException">The file name is not a binlog file name.</exception>
    public static BinlogCoordinates Create(string file, ulong position)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!IsValidFileName(file))
        {
            throw new FormatException(
                "expected a binlog file name such as mysql-bin.000002 (letters, digits, '.', '_', '-')"
            );
        }

        return new BinlogCoordinates(file, position);
    }

    /// <summary>Parses the textual pieces found in an info file; the error says which piece is wrong.</summary>
    public static bool TryParse(
        string file,
        string position,
        out BinlogCoordinates? coordinates,
        out string? error
    )
    {
        coordinates = null;
        if (!IsValidFileName(file))
        {
            error = "a binlog file name such as mysql-bin.000002";
            return false;
        }

        if (
            !ulong.TryParse(
                position,
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var offset
            )
        )
        {
            error = "a binlog position that is a non-negative integer";
            return false;
        }

        coordinates = new BinlogCoordinates(file, offset);
        error = null;
        return true;
    }

    public static bool IsValidFileName(string file) =>
        file.Length <= 255 && FileNamePattern().IsMatch(file);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}:{Position}");

    // A bare basename (SHOW BINARY LOG STATUS never reports a path) with the numeric extension
    // every binlog has; nothing that could close a quoted literal.
    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9_.\-]*\.[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
