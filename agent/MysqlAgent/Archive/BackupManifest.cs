using System.Text.Json.Serialization;

namespace MysqlAgent.Archive;

/// <summary>
/// The small JSON object written LAST beside a backup's data: a backup without it does not exist.
/// <c>dataXxh128</c> and <c>dataBytes</c> cover the data object as stored (the framed stream, end
/// frame included); <c>payloadBytes</c> is the backup tool's xbstream inside it. The exact position
/// of the backup is in its <c>xtrabackup_binlog_info</c> after extraction; the GTID and binlog
/// fields here are the server's, read just before and just after the backup ran, which bracket it.
/// </summary>
public sealed record BackupManifest
{
    public const int CurrentFormat = 1;

    [JsonPropertyName("format")]
    public int Format { get; init; } = CurrentFormat;

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("dataKey")]
    public required string DataKey { get; init; }

    [JsonPropertyName("pod")]
    public required string Pod { get; init; }

    [JsonPropertyName("serverId")]
    public required uint ServerId { get; init; }

    [JsonPropertyName("serverUuid")]
    public string? ServerUuid { get; init; }

    [JsonPropertyName("serverVersion")]
    public required string ServerVersion { get; init; }

    /// <summary><c>mariadb</c> or <c>mysql</c>.</summary>
    [JsonPropertyName("flavour")]
    public required string Flavour { get; init; }

    [JsonPropertyName("backupTool")]
    public required string BackupTool { get; init; }

    [JsonPropertyName("compression")]
    public required string Compression { get; init; }

    [JsonPropertyName("startedAt")]
    public required DateTimeOffset StartedAt { get; init; }

    [JsonPropertyName("finishedAt")]
    public required DateTimeOffset FinishedAt { get; init; }

    [JsonPropertyName("dataBytes")]
    public required long DataBytes { get; init; }

    [JsonPropertyName("dataXxh128")]
    public required string DataXxh128 { get; init; }

    [JsonPropertyName("payloadBytes")]
    public required long PayloadBytes { get; init; }

    [JsonPropertyName("gtidBefore")]
    public string? GtidBefore { get; init; }

    [JsonPropertyName("gtidAfter")]
    public string? GtidAfter { get; init; }

    [JsonPropertyName("binlogFileAfter")]
    public string? BinlogFileAfter { get; init; }

    [JsonPropertyName("binlogPositionAfter")]
    public long? BinlogPositionAfter { get; init; }

    /// <summary>
    /// The schedule's tick this backup was taken for (<c>yyyyMMddTHHmmssZ</c>, UTC); absent for a
    /// backup on demand and in manifests written before schedules existed.
    /// </summary>
    [JsonPropertyName("tick")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tick { get; init; }
}
