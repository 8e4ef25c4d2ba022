using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MysqlLocal.Waiting;

/// <summary>What a wait saw last, and whether it was what it waited for.</summary>
public sealed record WaitResult<T>(bool Done, T? Last);

/// <summary>
/// The one way mysql-local waits for a state (a pid file, readiness, a replicated row, a process
/// gone, new log lines): ask, and ask again after <c>interval</c> until the answer is the awaited
/// one or the timeout passes. A Polly pipeline (a timeout around a constant-delay retry on the
/// answer) with the injected <see cref="TimeProvider"/>; an exception from the probe ends the
/// wait and is thrown, so a probe says "not yet" by its answer, "give up" by throwing.
/// </summary>
public sealed class Waiter(TimeProvider time)
{
    /// <param name="timeout">Null: until <paramref name="done"/> holds or the token is cancelled.</param>
    public async Task<WaitResult<T>> UntilAsync<T>(
        Func<CancellationToken, ValueTask<T>> probe,
        Func<T, bool> done,
        TimeSpan interval,
        TimeSpan? timeout,
        CancellationToken cancellationToken
    )
    {
        var last = default(T);
        var builder = new ResiliencePipelineBuilder<T> { TimeProvider = time };
        if (timeout is { } limit)
        {
            builder.AddTimeout(limit);
        }

        var pipeline = builder
            .AddRetry(
                new RetryStrategyOptions<T>
                {
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is null && !done(args.Outcome.Result!)
                        ),
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Constant,
                    Delay = interval,
                    UseJitter = false,
                }
            )
            .Build();
        try
        {
            var answer = await pipeline
                .ExecuteAsync(
                    async token =>
                    {
                        var value = await probe(token).ConfigureAwait(false);
                        last = value;
                        return value;
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
            return new WaitResult<T>(done(answer), answer);
        }
        catch (TimeoutRejectedException)
        {
            return new WaitResult<T>(false, last);
        }
    }

    /// <summary>Until <paramref name="condition"/> holds; false when the timeout passed first.</summary>
    public async Task<bool> UntilAsync(
        Func<bool> condition,
        TimeSpan interval,
        TimeSpan timeout,
        CancellationToken cancellationToken
    ) =>
        (
            await UntilAsync(
                    _ => ValueTask.FromResult(condition()),
                    holds => holds,
                    interval,
                    timeout,
                    cancellationToken
                )
                .ConfigureAwait(false)
        ).Done;
}
