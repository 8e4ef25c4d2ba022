using System.Text.Json.Serialization;

namespace MysqlAgent.Archive.Verification;

/// <summary>
/// <c>backups/&lt;id&gt;/verified.json</c>: the backup was restored into a scratch folder, a server
/// started on it and every table checked. A backup nobody ever restored is not counted as one:
/// <c>backups</c> shows which are verified.
/// </summary>
public sealed record BackupVerification
{
    [JsonPropertyName("backupId")]
    public required string BackupId { get; init; }

    [JsonPropertyName("verifiedAt")]
    public required DateTimeOffset VerifiedAt { get; init; }

    /// <summary>The server that started on the restored datadir (<c>SELECT VERSION()</c>).</summary>
    [JsonPropertyName("serverVersion")]
    public required string ServerVersion { get; init; }

    /// <summary>The tables <c>CHECK TABLE</c> found OK: every base table outside information_schema and performance_schema.</summary>
    [JsonPropertyName("tablesChecked")]
    public required int TablesChecked { get; init; }

    /// <summary>Restore, start, checks and shutdown, in seconds.</summary>
    [JsonPropertyName("seconds")]
    public required double Seconds { get; init; }
}
