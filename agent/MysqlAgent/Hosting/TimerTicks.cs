namespace MysqlAgent.Hosting;

/// <summary>The wait at the bottom of a background service's loop.</summary>
public static class TimerTicks
{
    /// <summary>Waits for <paramref name="timer"/>'s next tick: false once <paramref name="stoppingToken"/> is cancelled (the agent is stopping) or the timer is disposed.</summary>
    public static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
