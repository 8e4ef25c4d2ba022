using System.Text.Json;
using System.Text.Json.Serialization;

namespace MysqlAgent.Election;

/// <summary>The file store's document: the record plus the version counter, in one atomically renamed file.</summary>
internal sealed record LeaseFileDocument(
    long Version,
    string Holder,
    long Term,
    DateTimeOffset RenewedAt,
    TermStart[] History,
    SwitchoverRequest? Switchover,
    bool Paused,
    RecordedPosition? Position = null
);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true
)]
[JsonSerializable(typeof(LeaseFileDocument))]
[JsonSerializable(typeof(TermStart[]))]
[JsonSerializable(typeof(SwitchoverRequest))]
[JsonSerializable(typeof(RecordedPosition))]
internal sealed partial class LeaseJsonContext : JsonSerializerContext;

/// <summary>
/// The annotations that carry the parts of a <see cref="LeaseRecord"/> a Kubernetes Lease has no
/// field for. Compact JSON, so <c>kubectl get lease -o yaml</c> stays readable.
/// </summary>
public static class LeaseAnnotations
{
    public const string History = "mysql-agent.io/history";
    public const string Switchover = "mysql-agent.io/switchover";
    public const string Paused = "mysql-agent.io/paused";
    public const string Position = "mysql-agent.io/position";

    private static readonly LeaseJsonContext Compact = new(
        new JsonSerializerOptions(LeaseJsonContext.Default.Options) { WriteIndented = false }
    );

    /// <summary>The annotations for a record; keys the record does not use are absent.</summary>
    public static Dictionary<string, string> From(LeaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (record.History.Count > 0)
        {
            annotations[History] = JsonSerializer.Serialize(
                record.History.ToArray(),
                Compact.TermStartArray
            );
        }

        if (record.Switchover is { } switchover)
        {
            annotations[Switchover] = JsonSerializer.Serialize(
                switchover,
                Compact.SwitchoverRequest
            );
        }

        if (record.Paused)
        {
            annotations[Paused] = "true";
        }

        if (record.Position is { } position)
        {
            annotations[Position] = JsonSerializer.Serialize(position, Compact.RecordedPosition);
        }

        return annotations;
    }

    /// <summary>Reads the annotations back; others' annotations are ignored.</summary>
    /// <exception cref="FormatException">An annotation of ours is not what we write.</exception>
    public static (
        TermStart[] History,
        SwitchoverRequest? Switchover,
        bool Paused,
        RecordedPosition? Position
    ) Read(IDictionary<string, string>? annotations)
    {
        if (annotations is null)
        {
            return ([], null, false, null);
        }

        try
        {
            var history = annotations.TryGetValue(History, out var h)
                ? JsonSerializer.Deserialize(h, Compact.TermStartArray) ?? []
                : [];
            var switchover = annotations.TryGetValue(Switchover, out var s)
                ? JsonSerializer.Deserialize(s, Compact.SwitchoverRequest)
                : null;
            var paused =
                annotations.TryGetValue(Paused, out var p)
                && string.Equals(p.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            var position = annotations.TryGetValue(Position, out var r)
                ? JsonSerializer.Deserialize(r, Compact.RecordedPosition)
                : null;
            return (history, switchover, paused, position);
        }
        catch (JsonException e)
        {
            throw new FormatException(
                $"a mysql-agent.io annotation of the Lease is not valid JSON ({e.Message}); remove it with kubectl annotate lease ... KEY-",
                e
            );
        }
    }
}
