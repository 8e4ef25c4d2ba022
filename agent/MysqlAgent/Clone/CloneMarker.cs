using System.Text.Json;
using System.Text.Json.Serialization;
using MysqlAgent.Common;

namespace MysqlAgent.Clone;

/// <summary>
/// The files by which a datadir tells what clone did to it, so that an interrupted clone is never
/// booted and a real datadir is never deleted:
/// <list type="number">
///   <item><see cref="StagingFolderName"/>: the backup is extracted and prepared here (same volume);</item>
///   <item><see cref="InProgressFileName"/>: written before the first entry is moved into the datadir;</item>
///   <item><see cref="CompleteFileName"/>: written after the last entry is moved, with donor, bytes, checksum, time;</item>
///   <item>the in-progress marker is removed last.</item>
/// </list>
/// Markers are written with <see cref="AtomicFile"/>: never half written, and on disk, folder included, once written.
/// </summary>
public static class CloneMarker
{
    public const string StagingFolderName = ".mysql-agent-clone-staging";
    public const string InProgressFileName = ".mysql-agent-clone-in-progress";
    public const string CompleteFileName = ".mysql-agent-clone-complete";

    public static string StagingPath(string dataDir) => Path.Combine(dataDir, StagingFolderName);

    public static string InProgressPath(string dataDir) =>
        Path.Combine(dataDir, InProgressFileName);

    public static string CompletePath(string dataDir) => Path.Combine(dataDir, CompleteFileName);

    public static void WriteInProgress(string dataDir, string donor, DateTimeOffset startedAt) =>
        AtomicFile.Write(
            InProgressPath(dataDir),
            System.Text.Encoding.UTF8.GetBytes(
                $"moving a clone from {donor} into place since {startedAt:O}; an interrupted clone: it is removed and cloned again\n"
            )
        );

    public static void WriteComplete(string dataDir, CloneCompletion completion) =>
        AtomicFile.Write(
            CompletePath(dataDir),
            JsonSerializer.SerializeToUtf8Bytes(
                completion,
                CloneMarkerJsonContext.Default.CloneCompletion
            )
        );

    public static CloneCompletion? ReadComplete(string dataDir)
    {
        try
        {
            return JsonSerializer.Deserialize(
                File.ReadAllBytes(CompletePath(dataDir)),
                CloneMarkerJsonContext.Default.CloneCompletion
            );
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>The content of the completion marker.</summary>
public sealed record CloneCompletion(
    [property: JsonPropertyName("donor")] string Donor,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("xxh128")] string Xxh128,
    [property: JsonPropertyName("completedAt")] DateTimeOffset CompletedAt,
    [property: JsonPropertyName("streamTool")] string StreamTool
);

[JsonSerializable(typeof(CloneCompletion))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class CloneMarkerJsonContext : JsonSerializerContext;
