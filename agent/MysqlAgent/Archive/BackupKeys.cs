using System.Globalization;
using System.Security.Cryptography;

namespace MysqlAgent.Archive;

/// <summary>
/// Where a backup's objects go: <c>backups/&lt;UTC time&gt;-&lt;pod&gt;-&lt;random&gt;/data.stream</c>
/// and <c>.../manifest.json</c>. The time sorts the listing; the pod and a random suffix keep two
/// pods (or one pod before and after a failover) from ever writing the same name.
/// </summary>
public static class BackupKeys
{
    public const string Root = "backups/";
    public const string DataName = "data.stream";
    public const string ManifestName = "manifest.json";

    public static string NewId(DateTimeOffset now, string pod) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{pod}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}"
        );

    public static string Data(string id) => Root + id + "/" + DataName;

    public static string Manifest(string id) => Root + id + "/" + ManifestName;

    public const string VerificationName = "verified.json";

    /// <summary>Written by <c>verify</c> once the backup was restored, started and checked.</summary>
    public static string Verification(string id) => Root + id + "/" + VerificationName;

    /// <summary>The id of a verification record's key, or null for any other key.</summary>
    public static string? IdOfVerification(string key) =>
        key.StartsWith(Root, StringComparison.Ordinal)
        && key.EndsWith("/" + VerificationName, StringComparison.Ordinal)
        && key[Root.Length..^(VerificationName.Length + 1)] is { Length: > 0 } id
        && !id.Contains('/', StringComparison.Ordinal)
            ? id
            : null;

    /// <summary>The backup id of a manifest's key, or null for any other key.</summary>
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
