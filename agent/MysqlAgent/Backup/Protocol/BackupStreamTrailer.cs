using System.Text.Json.Serialization;

namespace MysqlAgent.Backup.Protocol;

/// <summary>
/// The end frame of a backup stream: the backup tool's verdict, the payload's byte count and XXH128 checksum.
/// A stream without it, or whose counts disagree, was cut and must never be installed.
/// </summary>
public sealed record BackupStreamTrailer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("xxh128")] string Xxh128,
    [property: JsonPropertyName("exitCode")] int? ExitCode = null,
    [property: JsonPropertyName("error")] string? Error = null
)
{
    public const string Ok = "ok";
    public const string Failed = "failed";

    [JsonIgnore]
    public bool IsOk => Status == Ok;
}

[JsonSerializable(typeof(BackupStreamTrailer))]
internal sealed partial class BackupStreamJsonContext : JsonSerializerContext;
