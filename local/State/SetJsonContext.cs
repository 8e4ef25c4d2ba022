using System.Text.Json.Serialization;
using MysqlLocal.Failover;
using MysqlLocal.Status;

namespace MysqlLocal.State;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(PodRecord))]
[JsonSerializable(typeof(List<PodStatusRow>))]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(LeaseFile))]
[JsonSerializable(typeof(SetStatus))]
internal sealed partial class SetJsonContext : JsonSerializerContext;
