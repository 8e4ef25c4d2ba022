namespace MysqlLocal.Kubelet;

/// <summary>One container's command, as a pod template would give it.</summary>
public sealed record ContainerSpec(
    string Name,
    string Executable,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string?> Environment
)
{
    /// <summary>Runs before the process starts, every time (the mysql image's entrypoint work).</summary>
    public Func<CancellationToken, Task>? BeforeStart { get; init; }

    /// <summary>When set, the arguments are decided at each start, after <see cref="BeforeStart"/>.</summary>
    public Func<IReadOnlyList<string>>? ArgumentsAtStart { get; init; }
}
