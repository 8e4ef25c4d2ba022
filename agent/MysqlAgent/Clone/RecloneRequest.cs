using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MysqlAgent.Common;

namespace MysqlAgent.Clone;

/// <summary>
/// A datadir's request to be replaced by a fresh clone, written by the agent of a pod found errant
/// under <c>serve --reclone-errant</c> before it deletes its own pod. The next pod's clone container
/// moves the whole datadir aside (kept, never deleted) and clones from <see cref="Donor"/>.
/// </summary>
/// <param name="Donor">
/// The primary's stable name when the request was made, e.g. <c>mysql-1.mysql</c>; the clone adds
/// its <c>--backup-port</c> unless a port is given (<c>host:port</c>).
/// </param>
/// <param name="Term">The term whose fork point the datadir went beyond.</param>
/// <param name="Errant">The errant GTIDs, for the record.</param>
/// <param name="RequestedAt">When the agent wrote it.</param>
public sealed record RecloneRequest(
    [property: JsonPropertyName("donor")] string Donor,
    [property: JsonPropertyName("term")] long Term,
    [property: JsonPropertyName("errant")] string Errant,
    [property: JsonPropertyName("requestedAt")] DateTimeOffset RequestedAt
)
{
    public const string FileName = ".mysql-agent-reclone-requested";

    /// <summary>What the moved-aside datadir is named after: <c>&lt;datadir&gt;.errant-&lt;UTC time&gt;</c>, beside it.</summary>
    public const string AsideInfix = ".errant-";

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    public void WriteTo(string dataDir) =>
        AtomicFile.Write(
            PathIn(dataDir),
            JsonSerializer.SerializeToUtf8Bytes(
                this,
                RecloneRequestJsonContext.Default.RecloneRequest
            )
        );

    /// <summary>The request in <paramref name="dataDir"/>, or null when there is none.</summary>
    /// <exception cref="RecloneException">The file is there but is not a request: the message names it and the fix.</exception>
    public static RecloneRequest? ReadFrom(string dataDir)
    {
        var path = PathIn(dataDir);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var request = JsonSerializer.Deserialize(
                File.ReadAllBytes(path),
                RecloneRequestJsonContext.Default.RecloneRequest
            );
            if (request is { Donor.Length: > 0 })
            {
                return request;
            }
        }
        catch (JsonException)
        {
            // Reported below, with the fix.
        }

        throw new RecloneException(
            $"{path} is not a re-clone request written by mysql-agent; delete it to keep this datadir, or fix it to re-clone"
        );
    }

    /// <summary>Where the datadir goes aside: a sibling, so it stays on the same volume and nothing is copied.</summary>
    public static string AsidePath(string dataDir, DateTimeOffset at) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir))
        + AsideInfix
        + at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}

[JsonSerializable(typeof(RecloneRequest))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class RecloneRequestJsonContext : JsonSerializerContext;
