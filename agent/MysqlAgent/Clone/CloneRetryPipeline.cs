using MysqlAgent.Errors;
using Polly;
using Polly.Retry;

namespace MysqlAgent.Clone;

/// <summary>
/// Every wait of clone, built here with the injected <see cref="TimeProvider"/>: the deadline over all
/// attempts (outer timeout), and exponential backoff with jitter between attempts (429 waits for
/// Retry-After instead). Only transient failures are retried; a rejected token ends it at once.
/// </summary>
public static class CloneRetryPipeline
{
    public sealed record RetryInfo(int Attempt, Exception Failure, TimeSpan NextDelay);

    public static ResiliencePipeline Build(
        CloneRetryPolicy policy,
        TimeSpan deadline,
        TimeProvider timeProvider,
        Func<RetryInfo, ValueTask> onRetry
    ) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(
                new Polly.Timeout.TimeoutStrategyOptions
                {
                    // The generator, unlike the Timeout property, accepts deadlines beyond a day.
                    TimeoutGenerator = _ => ValueTask.FromResult(deadline),
                }
            )
            .AddRetry(
                new RetryStrategyOptions
                {
                    ShouldHandle = args =>
                        ValueTask.FromResult(args.Outcome.Exception is { } e && IsRetryable(e)),
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = policy.InitialDelay,
                    MaxDelay = policy.MaxDelay,
                    DelayGenerator = args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is DonorBusyException { RetryAfter: { } after }
                                ? (TimeSpan?)(
                                    after < policy.MaxRetryAfter ? after : policy.MaxRetryAfter
                                )
                                : null
                        ),
                    OnRetry = args =>
                        onRetry(
                            new RetryInfo(
                                args.AttemptNumber + 1,
                                args.Outcome.Exception!,
                                args.RetryDelay
                            )
                        ),
                }
            )
            .Build();

    /// <summary>A status probe's own short timeout.</summary>
    public static ResiliencePipeline BuildStatusTimeout(
        CloneRetryPolicy policy,
        TimeProvider timeProvider
    ) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(policy.StatusTimeout)
            .Build();

    /// <summary>Transient expected failures are retried: busy or unreachable donors, cut streams, failed extraction.</summary>
    public static bool IsRetryable(Exception exception) =>
        exception is AgentException { IsTransient: true };
}
