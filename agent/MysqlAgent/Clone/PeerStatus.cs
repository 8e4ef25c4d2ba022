using System.Text.Json.Serialization;

namespace MysqlAgent.Clone;

/// <summary>
/// What clone reads from a peer's <c>GET /status</c> to pick a fallback donor. Unknown fields are
/// ignored and missing ones take these defaults, so the status document may grow freely.
/// </summary>
public sealed record PeerStatus
{
    public const string PrimaryRole = "primary";
    public const string ReplicaRole = "replica";

    [JsonPropertyName("ready")]
    public bool Ready { get; init; }

    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("lagSeconds")]
    public double? LagSeconds { get; init; }

    /// <summary>Its backups to storage: the scheduled backups' primary reads which tick runs there.</summary>
    [JsonPropertyName("backup")]
    public Archive.Schedule.BackupStatusDocument? Backup { get; init; }
}

/// <summary>One peer's answer, or null <see cref="Status"/> when it did not answer.</summary>
public sealed record PeerReport(int Ordinal, PeerStatus? Status);

[JsonSerializable(typeof(PeerStatus))]
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString
)]
internal sealed partial class PeerStatusJsonContext : JsonSerializerContext;
