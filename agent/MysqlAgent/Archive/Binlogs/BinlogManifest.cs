using System.Text.Json.Serialization;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// The small JSON object written LAST beside one archived binlog file: an archived binlog without
/// it does not exist. File names repeat (a new primary, a re-cloned pod, each starts its own
/// <c>mysql-bin.000001</c>), so a file is known by the GTID range it holds, <see cref="StartGtid"/>
/// (its <c>Gtid_list</c> / <c>Previous_gtids</c> event) to <see cref="EndGtid"/> (the next file's),
/// and by the server that wrote it; the key only has to be unique.
/// </summary>
public sealed record BinlogManifest
{
    public const int CurrentFormat = 1;

    [JsonPropertyName("format")]
    public int Format { get; init; } = CurrentFormat;

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("dataKey")]
    public required string DataKey { get; init; }

    /// <summary>The binlog file's name on the server that wrote it (<c>mysql-bin.000007</c>).</summary>
    [JsonPropertyName("file")]
    public required string File { get; init; }

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

    /// <summary>The Lease term the archiving primary held, when there is an election.</summary>
    [JsonPropertyName("term")]
    public long? Term { get; init; }

    /// <summary>What the server had written before this file: its first GTID-list event.</summary>
    [JsonPropertyName("startGtid")]
    public required string StartGtid { get; init; }

    /// <summary>What the server had written at the end of this file: the next file's GTID-list event.</summary>
    [JsonPropertyName("endGtid")]
    public required string EndGtid { get; init; }

    /// <summary>The timestamp of the file's first event (its format description).</summary>
    [JsonPropertyName("firstEventAt")]
    public required DateTimeOffset FirstEventAt { get; init; }

    /// <summary>The timestamp of the file's last event (the rotate that closed it): recoverable up to here.</summary>
    [JsonPropertyName("lastEventAt")]
    public required DateTimeOffset LastEventAt { get; init; }

    [JsonPropertyName("bytes")]
    public required long Bytes { get; init; }

    [JsonPropertyName("xxh128")]
    public required string Xxh128 { get; init; }

    [JsonPropertyName("archivedAt")]
    public required DateTimeOffset ArchivedAt { get; init; }

    public BinlogCoverage Start => BinlogCoverage.Parse(Flavour, StartGtid);

    public BinlogCoverage End => BinlogCoverage.Parse(Flavour, EndGtid);
}
