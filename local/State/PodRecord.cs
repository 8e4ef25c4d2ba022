namespace MysqlLocal.State;

/// <summary><c>pod.json</c>: what the kubelet last saw of a pod, as <c>kubectl get pod -o json</c> would show it.</summary>
public sealed record PodRecord
{
    public required string Name { get; init; }
    public required int Ordinal { get; init; }
    public required int Generation { get; init; }

    /// <summary><c>Init:init</c>, <c>Init:clone</c>, <c>Running</c>, <c>Terminating</c> or <c>Terminated</c>.</summary>
    public required string Phase { get; init; }
    public required bool Ready { get; init; }
    public string? ReadyReason { get; init; }
    public required PodPorts Ports { get; init; }
    public required IReadOnlyList<ContainerRecord> Containers { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
