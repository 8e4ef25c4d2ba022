using System.Text.Json.Serialization;

namespace MysqlAgent.Health;

/// <summary>
/// The election fields of <c>/status</c>, which peers read to decide who races for the Lease: the
/// server's position as text in its own spelling, so that a peer can compare it exactly.
/// </summary>
public sealed record CandidateDocument
{
    public bool MysqldUp { get; init; }
    public bool Errant { get; init; }

    /// <summary>mysqld takes writes from clients (<c>read_only</c> off); false while it is down.</summary>
    public bool Writable { get; init; }

    /// <summary>The term of the primary it last replicated from (or held); 0 when unknown.</summary>
    public long FollowedTerm { get; init; }

    public int Priority { get; init; } = 1;

    /// <summary><c>mysql</c> or <c>mariadb</c>; null while mysqld is down.</summary>
    public string? Flavor { get; init; }

    /// <summary>MySQL <c>@@gtid_executed</c> or MariaDB <c>@@gtid_current_pos</c>.</summary>
    public string? Executed { get; init; }

    /// <summary>MySQL <c>Retrieved_Gtid_Set</c> or MariaDB <c>Gtid_IO_Pos</c>; null without replication.</summary>
    public string? Received { get; init; }

    /// <summary>
    /// Transactions of the position the primary last recorded in the Lease that this server lacks
    /// (received counts); null when none is recorded or its own position is unknown.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? LagBehindPrimary { get; init; }

    /// <summary>For a pod that does not hold the Lease: why it could not take over now; empty when it could.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Ineligible { get; init; }

    /// <summary>The election's last step: what happened and why (for people; peers ignore it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Step { get; init; }
}

/// <summary>The part of a peer's <c>/status</c> that the election reads (unknown fields ignored).</summary>
public sealed record PeerElectionStatus
{
    [JsonPropertyName("podName")]
    public string? PodName { get; init; }

    [JsonPropertyName("candidate")]
    public CandidateDocument? Candidate { get; init; }
}

[JsonSerializable(typeof(PeerElectionStatus))]
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true
)]
internal sealed partial class PeerElectionJsonContext : JsonSerializerContext;
