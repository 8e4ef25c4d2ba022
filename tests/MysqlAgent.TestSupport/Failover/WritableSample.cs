namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// One sample of <see cref="WritableSampler"/>: when (on its clock), the pods whose fresh answer
/// said writable, the silent pods (no fresh answer), and the pods writable if a silent pod's last
/// answer stood.
/// </summary>
public sealed record WritableSample(
    TimeSpan At,
    IReadOnlyList<int> Writable,
    IReadOnlyList<int> Silent,
    IReadOnlyList<int> WritableCountingSilent
)
{
    /// <summary>Two or more pods answered writable within <see cref="WritableSampler.Fresh"/>.</summary>
    public bool TwoWritable => Writable.Count > 1;
}
