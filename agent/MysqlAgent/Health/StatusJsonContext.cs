using System.Text.Json.Serialization;

namespace MysqlAgent.Health;

/// <summary>Source-generated JSON for <c>/status</c> (AOT-safe; no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true
)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(Archive.Schedule.BackupRunningDocument))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
