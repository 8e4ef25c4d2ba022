using System.Globalization;
using System.Text.RegularExpressions;

namespace MysqlAgent.Replication.Dialects;

/// <summary>
/// The server's family and version, from <c>SELECT VERSION()</c> (<c>10.11.19-MariaDB-0+deb12u1-log</c>,
/// <c>8.4.3</c>, <c>8.0.36-28</c>) or MySqlConnector's <c>ServerVersion</c>, which for MariaDB keeps the
/// <c>5.5.5-</c> prefix old clients need (<c>5.5.5-10.11.19-MariaDB...</c>).
/// </summary>
public sealed partial record ServerVersionInfo(ServerFlavor Flavor, Version Version, string Raw)
{
    /// <exception cref="FormatException">The text does not start with a major.minor.patch version.</exception>
    public static ServerVersionInfo Parse(string raw) =>
        TryParse(raw, out var info)
            ? info!
            : throw new FormatException(
                $"expected a server version such as 8.4.3 or 10.11.19-MariaDB, found \"{raw}\""
            );

    public static bool TryParse(string? raw, out ServerVersionInfo? info)
    {
        info = null;
        if (raw is null)
        {
            return false;
        }

        var match = VersionPattern().Match(raw.Trim());
        if (!match.Success)
        {
            return false;
        }

        var flavor = raw.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
            ? ServerFlavor.MariaDb
            : ServerFlavor.MySql;
        if (
            !int.TryParse(match.Groups["major"].Value, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(
                match.Groups["minor"].Value,
                CultureInfo.InvariantCulture,
                out var minor
            )
            || !int.TryParse(
                match.Groups["patch"].Value,
                CultureInfo.InvariantCulture,
                out var patch
            )
        )
        {
            return false;
        }

        info = new ServerVersionInfo(flavor, new Version(major, minor, patch), raw);
        return true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Flavor} {Version}");

    // The optional "5.5.5-" is MariaDB's replication-protocol prefix; a real 5.5.5 server would be
    // followed by nothing or "-log", never by another version.
    [GeneratedRegex(
        @"\A(?:5\.5\.5-(?=\d+\.\d+\.\d+))?(?<major>\d{1,4})\.(?<minor>\d{1,4})\.(?<patch>\d{1,4})(?![\d.])",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex VersionPattern();
}
