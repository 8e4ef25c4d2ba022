using MysqlAgent.Backup;

namespace MysqlAgent.Tests.Backup;

public sealed class BackupConcurrencyLimiterTests
{
    [Fact]
    public void Slots_beyond_the_limit_are_refused_until_one_is_given_back()
    {
        var limiter = new BackupConcurrencyLimiter(TestOptions.Create(maxConcurrentBackups: 2));

        Assert.True(limiter.TryAcquire(out var first));
        Assert.True(limiter.TryAcquire(out var second));
        Assert.False(limiter.TryAcquire(out var third));
        Assert.Null(third);
        Assert.Equal(2, limiter.Active);

        first.Dispose();
        first.Dispose();
        Assert.Equal(1, limiter.Active);
        Assert.True(limiter.TryAcquire(out var fourth));
        Assert.False(limiter.TryAcquire(out _));

        second.Dispose();
        fourth.Dispose();
        Assert.Equal(0, limiter.Active);
    }

    [Fact]
    public async Task Racing_requests_never_get_more_slots_than_the_limit()
    {
        var limiter = new BackupConcurrencyLimiter(TestOptions.Create(maxConcurrentBackups: 3));
        var granted = 0;
        using var start = new ManualResetEventSlim();

        var racers = Enumerable
            .Range(0, 32)
            .Select(racer =>
                Task.Run(() =>
                {
                    start.Wait();
                    if (limiter.TryAcquire(out _))
                    {
                        Interlocked.Increment(ref granted);
                    }
                })
            )
            .ToArray();
        start.Set();
        await Task.WhenAll(racers);

        Assert.Equal(3, granted);
        Assert.Equal(3, limiter.Active);
    }
}
