using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

/// <summary>The wait between two election turns: the tick, an early wake for the renew deadline, a stop.</summary>
public sealed class TurnWaitsTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new();
    private readonly PeriodicTimer _timer;
    private readonly CancellationTokenSource _stop = new();

    public TurnWaitsTests() => _timer = new PeriodicTimer(Period, _time);

    public void Dispose()
    {
        _timer.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task Without_an_early_wake_it_ends_at_the_tick()
    {
        var wait = Wait(null);
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(await Ended(wait));
    }

    [Fact]
    public async Task An_early_wake_before_the_tick_ends_it_early()
    {
        var wait = Wait(TimeSpan.FromSeconds(0.5));
        _time.Advance(TimeSpan.FromSeconds(0.4));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(await Ended(wait));
    }

    [Fact]
    public async Task An_early_wake_already_due_ends_it_at_once()
    {
        Assert.True(await Ended(Wait(TimeSpan.FromSeconds(-1))));
    }

    [Fact]
    public async Task An_early_wake_after_the_tick_leaves_the_tick()
    {
        var wait = Wait(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(await Ended(wait));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1.0)]
    public async Task Stopping_the_agent_ends_it_with_no_next_turn(double? earlySeconds)
    {
        var wait = Wait(earlySeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        await _stop.CancelAsync();
        Assert.False(await Ended(wait));
    }

    /// <summary>The wait's answer; a wait that never ends fails the test instead of hanging it.</summary>
    private static Task<bool> Ended(Task<bool> wait) => wait.WaitAsync(TimeSpan.FromMinutes(1));

    private Task<bool> Wait(TimeSpan? early) =>
        TurnWaits.WaitAsync(_timer, early, _time, _stop.Token);
}
