using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace MysqlAgent.Replication.Setup;

/// <summary>Every wait and retry of the replication setup, built in one place on the injected clock.</summary>
public static class SetupPipelines
{
    /// <summary>
    /// Waits for mysqld to answer. The first intervals are short (20 ms, doubling, at most 2 s) so that
    /// replication runs well under a second after mysqld starts; the example polls every second.
    /// </summary>
    public static ResiliencePipeline WaitForServer(
        TimeProvider timeProvider,
        ILogger logger,
        string endpoint
    ) =>
        RetryTransient(
            timeProvider,
            TimeSpan.FromMilliseconds(20),
            TimeSpan.FromSeconds(2),
            jitter: false,
            args =>
                ReplicationLog.WaitingForServer(
                    logger,
                    endpoint,
                    args.AttemptNumber + 1,
                    args.Outcome.Exception is { } e ? SetupErrors.Describe(e) : "no answer"
                )
        );

    /// <summary>Retries a whole setup attempt after a transient failure (a dropped connection, a restarting mysqld), forever, with jitter.</summary>
    public static ResiliencePipeline RetrySetup(
        TimeProvider timeProvider,
        ILogger logger,
        Action onTransientFailure
    ) =>
        RetryTransient(
            timeProvider,
            TimeSpan.FromMilliseconds(500),
            TimeSpan.FromSeconds(30),
            jitter: true,
            args =>
            {
                onTransientFailure();
                ReplicationLog.TransientFailure(
                    logger,
                    args.AttemptNumber + 1,
                    (long)args.RetryDelay.TotalMilliseconds,
                    args.Outcome.Exception is { } e ? SetupErrors.Describe(e) : "unknown"
                );
            }
        );

    /// <summary>Retries transient errors (<see cref="SetupErrors.IsTransient"/>) forever, with exponential backoff.</summary>
    private static ResiliencePipeline RetryTransient(
        TimeProvider timeProvider,
        TimeSpan delay,
        TimeSpan maxDelay,
        bool jitter,
        Action<OnRetryArguments<object>> onRetry
    ) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(
                new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(
                        SetupErrors.IsTransient
                    ),
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = delay,
                    MaxDelay = maxDelay,
                    UseJitter = jitter,
                    OnRetry = args =>
                    {
                        onRetry(args);
                        return default;
                    },
                }
            )
            .Build();
}
