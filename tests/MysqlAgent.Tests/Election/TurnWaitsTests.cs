using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

/// <summary>The wait between two election turns: the tick, an early wake for the renew deadline, a stop.</summary>
public sealed class TurnWaitsTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Without_an_early_wake_it_ends_at_the_tick()
    {
        var time = new FakeTimeProvider();
        using var timer = new PeriodicTimer(Period, time);
        var wait = TurnWaits.WaitAsync(timer, null, time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(TurnWake.Tick, await wait);
    }

    [Fact]
    public async Task An_early_wake_before_the_tick_ends_it_early()
    {
        var time = new FakeTimeProvider();
        using var timer = new PeriodicTimer(Period, time);
        var wait = TurnWaits.WaitAsync(
            timer,
            TimeSpan.FromSeconds(0.5),
            time,
            CancellationToken.None
        );
        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(TurnWake.Early, await wait);
    }

    [Fact]
    public async Task An_early_wake_already_due_ends_it_at_once()
    {
        var time = new FakeTimeProvider();
        using var timer = new PeriodicTimer(Period, time);
        Assert.Equal(
            TurnWake.Early,
            await TurnWaits.WaitAsync(timer, TimeSpan.FromSeconds(-1), time, CancellationToken.None)
        );
    }

    [Fact]
    public async Task An_early_wake_after_the_tick_leaves_the_tick()
    {
        var time = new FakeTimeProvider();
        using var timer = new PeriodicTimer(Period, time);
        var wait = TurnWaits.WaitAsync(
            timer,
            TimeSpan.FromSeconds(5),
            time,
            CancellationToken.None
        );
        time.Advance(Period);
        Assert.Equal(TurnWake.Tick, await wait);
    }

    [Fact]
    public async Task Stopping_the_agent_ends_it_as_stopped()
    {
        var time = new FakeTimeProvider();
        using var timer = new PeriodicTimer(Period, time);
        using var stop = new CancellationTokenSource();
        var plain = TurnWaits.WaitAsync(timer, null, time, stop.Token);
        await stop.CancelAsync();
        Assert.Equal(TurnWake.Stopped, await plain);

        using var timer2 = new PeriodicTimer(Period, time);
        using var stop2 = new CancellationTokenSource();
        var early = TurnWaits.WaitAsync(timer2, TimeSpan.FromSeconds(1), time, stop2.Token);
        await stop2.CancelAsync();
        Assert.Equal(TurnWake.Stopped, await early);
    }
}
