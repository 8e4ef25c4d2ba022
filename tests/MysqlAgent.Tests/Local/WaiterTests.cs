using System.Runtime.Versioning;
using MysqlLocal.Waiting;

namespace MysqlAgent.Tests.Local;

[SupportedOSPlatform("linux")]
public sealed class WaiterTests
{
    private readonly Waiter _waiter = new(TimeProvider.System);

    [Fact]
    public async Task It_asks_again_until_the_answer_is_the_awaited_one_and_returns_it()
    {
        var asked = 0;

        var result = await _waiter.UntilAsync(
            _ => ValueTask.FromResult(++asked),
            n => n == 3,
            TimeSpan.FromMilliseconds(1),
            TimeSpan.FromMinutes(1),
            CancellationToken.None
        );

        Assert.True(result.Done);
        Assert.Equal(3, result.Last);
        Assert.Equal(3, asked);
    }

    [Fact]
    public async Task Past_the_timeout_it_returns_the_last_answer_as_not_done()
    {
        var asked = 0;

        var result = await _waiter.UntilAsync(
            _ => ValueTask.FromResult(++asked),
            _ => false,
            TimeSpan.FromMilliseconds(5),
            TimeSpan.FromMilliseconds(100),
            CancellationToken.None
        );

        Assert.False(result.Done);
        Assert.True(result.Last >= 1);
    }

    [Fact]
    public async Task A_probe_that_throws_ends_the_wait_with_its_exception()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _waiter.UntilAsync<int>(
                _ => throw new InvalidOperationException("the kubelet died"),
                _ => false,
                TimeSpan.FromMilliseconds(1),
                TimeSpan.FromMinutes(1),
                CancellationToken.None
            )
        );
    }
}
