namespace MysqlLocal.State;

/// <summary>One container of a pod: its current process, if any, and how often it was restarted.</summary>
public sealed record ContainerRecord
{
    public required string Name { get; init; }

    /// <summary><c>waiting</c>, <c>running</c>, <c>completed</c> (an init container done) or <c>terminated</c>.</summary>
    public required string State { get; init; }
    public int? Pid { get; init; }
    public required int Restarts { get; init; }
    public int? LastExitCode { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
}
