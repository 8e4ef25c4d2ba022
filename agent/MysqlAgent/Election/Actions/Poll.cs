using System.Diagnostics.CodeAnalysis;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MysqlAgent.Election;

/// <summary>
/// The election's one way to wait for a state: ask at a constant interval until the answer is
/// accepted or the budget runs out (a Polly timeout around a retry). An exception from the probe
/// ends the wait and reaches the caller.
/// </summary>
public static class Poll
{
    /// <summary>Asks <paramref name="probe"/> every <paramref name="every"/> until <paramref name="accept"/> takes its answer.</summary>
    /// <returns>True and the accepted answer, or false and the default when the budget ran out.</returns>
    public static async Task<(bool Done, T? Answer)> UntilAsync<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T
    >(
        Func<CancellationToken, ValueTask<T>> probe,
        Func<T, bool> accept,
        TimeSpan every,
        TimeSpan budget,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(accept);
        var pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = time }
            .AddTimeout(budget)
            .AddRetry(
                new RetryStrategyOptions<T>
                {
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is null && !accept(args.Outcome.Result!)
                        ),
                    BackoffType = DelayBackoffType.Constant,
                    Delay = every,
                    MaxRetryAttempts = int.MaxValue,
                }
            )
            .Build();
        try
        {
            return (
                true,
                await pipeline.ExecuteAsync(probe, cancellationToken).ConfigureAwait(false)
            );
        }
        catch (TimeoutRejectedException)
        {
            return (false, default);
        }
    }

    /// <summary>Asks <paramref name="condition"/> every 100 ms until it holds; false when the budget ran out.</summary>
    public static async Task<bool> UntilTrueAsync(
        Func<CancellationToken, ValueTask<bool>> condition,
        TimeSpan budget,
        TimeProvider time,
        CancellationToken cancellationToken
    ) =>
        (
            await UntilAsync(
                    condition,
                    static holds => holds,
                    TimeSpan.FromMilliseconds(100),
                    budget,
                    time,
                    cancellationToken
                )
                .ConfigureAwait(false)
        ).Done;
}
