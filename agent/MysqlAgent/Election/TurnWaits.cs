namespace MysqlAgent.Election;

/// <summary>The wait between two election turns: the retry period's tick, or earlier when asked.</summary>
public static class TurnWaits
{
    /// <summary>
    /// Waits for <paramref name="timer"/>'s next tick, or for <paramref name="early"/> when it is
    /// set and comes first (zero or less: at once). Answers whether to turn again: false once the
    /// agent is stopping.
    /// </summary>
    public static async Task<bool> WaitAsync(
        PeriodicTimer timer,
        TimeSpan? early,
        TimeProvider time,
        CancellationToken stoppingToken
    )
    {
        ArgumentNullException.ThrowIfNull(timer);
        using var wakeUp = early is { } after
            ? new CancellationTokenSource(after > TimeSpan.Zero ? after : TimeSpan.Zero, time)
            : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(
            stoppingToken,
            wakeUp?.Token ?? CancellationToken.None
        );
        try
        {
            return await timer.WaitForNextTickAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return !stoppingToken.IsCancellationRequested;
        }
    }
}
