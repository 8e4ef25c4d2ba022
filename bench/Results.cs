using System.Text.Json.Serialization;
using MysqlBench.Failover;

namespace MysqlBench;

internal sealed record MachineInfo(
    int Processors,
    string LoadAverageBefore,
    string LoadAverageAfter,
    string Kernel
);

internal sealed record GoalCheck(string Figure, string Value, string Goal, bool? Met, string Note);

internal sealed record BenchResults(
    string Version,
    DateTimeOffset StartedAt,
    string Commit,
    bool Quick,
    string AgentBuild,
    long AgentBinaryBytes,
    MachineInfo Machine,
    long DonorDataDirBytes,
    string MbDefinition,
    IReadOnlyList<CloneMethodResult> CloneThroughput,
    StreamingMemory? StreamingMemory,
    IReadOnlyList<ReplicationMethodResult> Replication,
    InitResult? Init,
    IdleFootprint? Idle,
    StartupResult? Startup,
    FailoverResult? Failover,
    BackupFigures? Backups,
    ProxyCostResult? PrimaryProxy,
    IReadOnlyList<GoalCheck> Goals,
    IReadOnlyList<string> Errors
);

[JsonSourceGenerationOptions(
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase
)]
[JsonSerializable(typeof(BenchResults))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
