namespace MysqlAgent.Election;

/// <summary>Why the election's wait between two turns ended.</summary>
public enum TurnWake
{
    /// <summary>The retry period's tick: a whole turn.</summary>
    Tick,

    /// <summary>Before the tick, at the time <see cref="ElectionDecision.WakeAfter"/> asked for (the renew deadline).</summary>
    Early,

    /// <summary>The agent is stopping.</summary>
    Stopped,
}
