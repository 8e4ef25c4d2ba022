using MySqlConnector;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MysqlBench.Failover;

/// <summary>
/// Waits for a condition with a deadline, through Polly: a retry every <c>every</c> inside one
/// timeout. A server or agent that does not answer yet is "not yet", not a failure; missing the
/// deadline is one <see cref="BenchException"/> naming what was awaited and the last error seen.
/// </summary>
internal static class Deadline
{
    public static async Task UntilAsync(
        string what,
        TimeSpan limit,
        Func<CancellationToken, Task<bool>> condition,
        CancellationToken ct,
        TimeSpan? every = null
    )
    {
        string? lastError = null;
        var pipeline = new ResiliencePipelineBuilder<bool> { TimeProvider = TimeProvider.System }
            .AddTimeout(limit)
            .AddRetry(
                new RetryStrategyOptions<bool>
                {
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is null && !args.Outcome.Result
                        ),
                    MaxRetryAttempts = int.MaxValue,
                    Delay = every ?? TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Constant,
                    UseJitter = false,
                }
            )
            .Build();
        try
        {
            await pipeline.ExecuteAsync(
                async token =>
                {
                    try
                    {
                        return await condition(token);
                    }
                    catch (Exception e)
                        when (e is MySqlException or IOException or HttpRequestException
                            || (
                                e is InvalidOperationException or OperationCanceledException
                                && !token.IsCancellationRequested
                            )
                        )
                    {
                        lastError = e.Message;
                        return false;
                    }
                },
                ct
            );
        }
        catch (TimeoutRejectedException)
        {
            throw new BenchException(
                $"{what}: not within {limit.TotalSeconds:0} s{(lastError is null ? "" : $" (last error: {lastError})")}"
            );
        }
    }

    /// <summary>Waits until <paramref name="probe"/> gives a value; returns it.</summary>
    public static async Task<T> ValueAsync<T>(
        string what,
        TimeSpan limit,
        Func<CancellationToken, Task<T?>> probe,
        CancellationToken ct
    )
        where T : class
    {
        T? value = null;
        await UntilAsync(
            what,
            limit,
            async token =>
            {
                value = await probe(token);
                return value is not null;
            },
            ct
        );
        return value!;
    }
}
