using System.Globalization;
using CliWrap;
using Polly;
using Polly.Retry;

namespace MysqlLocal.Kubelet;

/// <summary>
/// Runs a container's process as the kubelet does: init containers until they exit 0, the others
/// for ever (<c>restartPolicy: Always</c>), with a back-off between restarts that doubles from 1 s
/// to 30 s. Stopping sends SIGTERM, then SIGKILL after the grace period.
/// </summary>
public sealed class ContainerRunner(
    ContainerSpec spec,
    ContainerState state,
    ContainerLog log,
    TimeProvider time,
    TimeSpan gracePeriod
)
{
    public const int KilledExitCode = 137;

    public ContainerState State { get; } = state;

    /// <summary>Runs an init container until it succeeds; returns false when stopped first.</summary>
    public Task<bool> RunToCompletionAsync(CancellationToken stop) =>
        RunRestartingAsync(exitCode => exitCode != 0, stop);

    /// <summary>Runs a container, restarting it whenever it exits, until stopped.</summary>
    public Task RunAlwaysAsync(CancellationToken stop) => RunRestartingAsync(_ => true, stop);

    /// <summary>Runs the process, and again after a back-off while <paramref name="restart"/> says so; false when stopped.</summary>
    private async Task<bool> RunRestartingAsync(Func<int, bool> restart, CancellationToken stop)
    {
        try
        {
            await RestartPipeline(restart, stop)
                .ExecuteAsync(RunOnceAsync, stop)
                .ConfigureAwait(false);
            return !stop.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false; // Stopped during a back-off.
        }
    }

    private ResiliencePipeline<int> RestartPipeline(
        Func<int, bool> restart,
        CancellationToken stop
    ) =>
        new ResiliencePipelineBuilder<int> { TimeProvider = time }
            .AddRetry(
                new RetryStrategyOptions<int>
                {
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            !stop.IsCancellationRequested
                                && args.Outcome.Exception is null
                                && restart(args.Outcome.Result)
                        ),
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = TimeSpan.FromSeconds(1),
                    MaxDelay = TimeSpan.FromSeconds(30),
                    UseJitter = false,
                    OnRetry = args =>
                    {
                        State.Restarting();
                        log.Event(
                            time,
                            string.Create(
                                CultureInfo.InvariantCulture,
                                $"container {spec.Name} exited with code {args.Outcome.Result}; restarting in {args.RetryDelay.TotalSeconds:0.#} s (restart {args.AttemptNumber + 1})"
                            )
                        );
                        return ValueTask.CompletedTask;
                    },
                }
            )
            .Build();

    private async ValueTask<int> RunOnceAsync(CancellationToken stop)
    {
        if (spec.BeforeStart is { } before)
        {
            try
            {
                await before(stop).ConfigureAwait(false);
            }
            catch (Exception e)
                when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                // As an image's entrypoint that fails: the container exits 1 and is restarted after the back-off.
                log.Event(time, $"container {spec.Name} could not start: {e.Message}");
                State.Exited(1, completed: false);
                return 1;
            }
        }

        using var forceful = new CancellationTokenSource();
        var task = Cli.Wrap(spec.Executable)
            .WithArguments(spec.ArgumentsAtStart?.Invoke() ?? spec.Arguments)
            .WithEnvironmentVariables(spec.Environment)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(log.Write))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(log.Write))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(forceful.Token);
        var pid = task.ProcessId;
        State.Started(pid, time.GetUtcNow());
        log.Event(
            time,
            string.Create(
                CultureInfo.InvariantCulture,
                $"started container {spec.Name} (pid {pid})"
            )
        );

        await using var registration = stop.Register(() =>
        {
            log.Event(
                time,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"stopping container {spec.Name} (SIGTERM to pid {pid}, SIGKILL after {gracePeriod.TotalSeconds:0} s)"
                )
            );
            Signals.Terminate(pid);
            forceful.CancelAfter(gracePeriod);
        });

        int exitCode;
        try
        {
            exitCode = (await task.ConfigureAwait(false)).ExitCode;
        }
        catch (OperationCanceledException)
        {
            exitCode = KilledExitCode;
        }

        State.Exited(exitCode, completed: exitCode == 0);
        log.Event(
            time,
            string.Create(
                CultureInfo.InvariantCulture,
                $"container {spec.Name} (pid {pid}) exited with code {exitCode}"
            )
        );
        return exitCode;
    }
}
