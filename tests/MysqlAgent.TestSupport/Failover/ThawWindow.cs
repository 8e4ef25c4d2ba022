namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// The time after a frozen pod resumed in which <see cref="WritableSampler"/> counts its
/// two-writable samples apart: from when the harness began to thaw it
/// (<paramref name="From"/>) until <see cref="WritableSampler.ThawAllowance"/> after the thaw
/// command returned (<paramref name="ResumedBy"/>), since the process resumed somewhere in that run.
/// </summary>
public sealed record ThawWindow(int Pod, TimeSpan From, TimeSpan ResumedBy)
{
    public bool Covers(int pod, TimeSpan at) =>
        pod == Pod && at >= From && at <= ResumedBy + WritableSampler.ThawAllowance;
}
