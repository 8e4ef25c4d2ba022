using System.Globalization;
using System.Security.Cryptography;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// Where an archived binlog's objects go: <c>binlogs/&lt;UTC time&gt;-&lt;pod&gt;-&lt;file&gt;-&lt;random&gt;/&lt;file&gt;</c>
/// and <c>.../manifest.json</c>. The name is only unique, never trusted: binlog names repeat across
/// servers and failovers, and what a file holds is in its manifest's GTID range.
/// </summary>
public static class BinlogKeys
{
    public const string Root = "binlogs/";
    public const string ManifestName = "manifest.json";

    public static string NewId(DateTimeOffset now, string pod, string file) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{pod}-{file}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}"
        );

    public static string Data(string id, string file) => Root + id + "/" + file;

    public static string Manifest(string id) => Root + id + "/" + ManifestName;

    /// <summary>The id of a manifest's key, or null for any other key.</summary>
    public static string? IdOfManifest(string key)
    {
        if (
            key.Length <= Root.Length + ManifestName.Length + 1
            || !key.StartsWith(Root, StringComparison.Ordinal)
            || !key.EndsWith("/" + ManifestName, StringComparison.Ordinal)
        )
        {
            return null;
        }

        var id = key[Root.Length..^(ManifestName.Length + 1)];
        return id.Length > 0 && !id.Contains('/', StringComparison.Ordinal) ? id : null;
    }
}
