namespace MysqlAgent.Election;

/// <summary>The wait between two election turns: the retry period's tick, or earlier when asked.</summary>
public static class TurnWaits
{
    /// <summary>
    /// Waits for <paramref name="timer"/>'s next tick, or for <paramref name="early"/> when it is
    /// set and comes first (zero or less: at once).
    /// </summary>
    public static async Task<TurnWake> WaitAsync(
        PeriodicTimer timer,
        TimeSpan? early,
        TimeProvider time,
        CancellationToken stoppingToken
    )
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            if (early is not { } after)
            {
                return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)
                    ? TurnWake.Tick
                    : TurnWake.Stopped;
            }

            using var wakeUp = new CancellationTokenSource(
                after > TimeSpan.Zero ? after : TimeSpan.Zero,
                time
            );
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(
                stoppingToken,
                wakeUp.Token
            );
            try
            {
                return await timer.WaitForNextTickAsync(linked.Token).ConfigureAwait(false)
                    ? TurnWake.Tick
                    : TurnWake.Stopped;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return TurnWake.Early;
            }
        }
        catch (OperationCanceledException)
        {
            return TurnWake.Stopped;
        }
    }
}
