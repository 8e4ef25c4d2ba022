using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Health;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Tests.Health;

public sealed class ReplicationSetupStatusTests
{
    [Fact]
    public void It_starts_pending_and_records_each_state_with_its_time()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var status = new ReplicationSetupStatus(time);
        Assert.Equal(ReplicationSetupState.Pending, status.Current.State);

        time.Advance(TimeSpan.FromSeconds(5));
        status.MarkRunning();
        Assert.Equal(ReplicationSetupState.Running, status.Current.State);
        Assert.Equal(time.GetUtcNow(), status.Current.Since);

        time.Advance(TimeSpan.FromSeconds(5));
        status.MarkFailed("CHANGE MASTER failed:\nAccess denied");
        var failed = status.Current;
        Assert.Equal(ReplicationSetupState.FailedPermanently, failed.State);
        Assert.Equal("CHANGE MASTER failed: Access denied", failed.Reason);
        Assert.Equal("failed", failed.StateName);
        Assert.Equal(time.GetUtcNow(), failed.Since);

        status.MarkDone();
        Assert.Equal("done", status.Current.StateName);
        Assert.Equal("", status.Current.Reason);

        status.MarkNotNeeded();
        Assert.Equal("not_needed", status.Current.StateName);
    }

    [Fact]
    public void A_failure_needs_a_reason()
    {
        var status = new ReplicationSetupStatus(TimeProvider.System);
        Assert.Throws<ArgumentException>(() => status.MarkFailed(" "));
    }
}
