namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// What a <see cref="WritableSampler"/> counted: its samples, those with two writable pods outside
/// every thaw window (the safety property: must be 0) and inside one (counted apart, see
/// <see cref="WritableSampler"/>), those with a silent pod, and those that would show two writable
/// pods if a silent pod's last answer stood.
/// </summary>
public sealed record WritableCounts(
    int Samples,
    int TwoWritable,
    int TwoWritableInThawWindow,
    int WithSilentPod,
    int TwoWritableCountingSilent
);
