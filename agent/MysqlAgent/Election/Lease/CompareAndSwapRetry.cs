using System.Diagnostics.CodeAnalysis;
using Polly;
using Polly.Retry;

namespace MysqlAgent.Election;

/// <summary>
/// An operator's read-modify-write of the Lease (a switchover request, the pause flag) loses its
/// compare-and-swap when the primary's renewal lands in between: read again and retry, a few
/// times, 50 ms apart. An exception ends it at once.
/// </summary>
public static class CompareAndSwapRetry
{
    /// <summary>Read-and-write attempts before the command gives up and says to run it again.</summary>
    public const int Attempts = 10;

    /// <summary>A pipeline that runs the attempt again while <paramref name="lost"/> says its write lost.</summary>
    public static ResiliencePipeline<T> Build<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T
    >(TimeProvider time, Func<T, bool> lost)
    {
        ArgumentNullException.ThrowIfNull(lost);
        return new ResiliencePipelineBuilder<T> { TimeProvider = time }
            .AddRetry(
                new RetryStrategyOptions<T>
                {
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is null && lost(args.Outcome.Result!)
                        ),
                    BackoffType = DelayBackoffType.Constant,
                    Delay = TimeSpan.FromMilliseconds(50),
                    MaxRetryAttempts = Attempts - 1,
                }
            )
            .Build();
    }
}
