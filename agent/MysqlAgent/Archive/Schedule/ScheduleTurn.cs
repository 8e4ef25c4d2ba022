namespace MysqlAgent.Archive.Schedule;

/// <summary>What the scheduled backups' primary remembers between turns.</summary>
/// <param name="Decided">The newest tick it has decided on (triggered, skipped or missed).</param>
/// <param name="Since">When this agent started: older ticks that nobody took are not its to report.</param>
/// <param name="Failing">The tick whose check last failed (logged once), or null.</param>
public sealed record ScheduleState(DateTimeOffset Decided, DateTimeOffset Since, string? Failing)
{
    public static ScheduleState Start(DateTimeOffset now) =>
        new(now - ScheduleTurn.Lookback, now, null);

    public ScheduleState DecidedOn(DateTimeOffset tick) =>
        this with
        {
            Decided = tick,
            Failing = null,
        };
}

/// <summary>One turn's verdict: the tick to take now, if any; the ticks skipped or missed, each with why.</summary>
public sealed record TickPlan(
    DateTimeOffset? Take,
    IReadOnlyList<(DateTimeOffset Tick, string Why)> Skipped,
    IReadOnlyList<(DateTimeOffset Tick, string Why)> Missed
)
{
    public static readonly TickPlan Nothing = new(null, [], []);
}

/// <summary>
/// The scheduled backups' decision, pure. The ticks looked at are those after the last one decided,
/// within the last <see cref="Lookback"/> (twice the longest grace: a tick older than that was past
/// its grace long ago, and is not this turn's to report). Only the newest can still be taken: it is taken when no backup names it and
/// it is less than its grace late (the schedule's period, at most an hour); a taken one is
/// skipped; a later one is missed. An older tick in the window has been overtaken by the newest, so
/// one that no backup names is missed, when it fell while this agent ran.
/// </summary>
public static class ScheduleTurn
{
    public static readonly TimeSpan Lookback = 2 * BackupSchedule.MaxGrace;

    /// <summary>The ticks to decide on now, oldest first.</summary>
    public static IReadOnlyList<DateTimeOffset> Due(
        BackupSchedule schedule,
        ScheduleState state,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(state);
        var floor = now - Lookback;
        return schedule.Between(state.Decided > floor ? state.Decided : floor, now);
    }

    /// <param name="due">From <see cref="Due"/>.</param>
    /// <param name="taken">The tick ids that backups in storage name, with the backup's id.</param>
    public static TickPlan Decide(
        BackupSchedule schedule,
        IReadOnlyList<DateTimeOffset> due,
        DateTimeOffset now,
        IReadOnlyDictionary<string, string> taken,
        DateTimeOffset since
    )
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(due);
        ArgumentNullException.ThrowIfNull(taken);
        if (due.Count == 0)
        {
            return TickPlan.Nothing;
        }

        var newest = due[^1];
        var skipped = new List<(DateTimeOffset, string)>();
        var missed = new List<(DateTimeOffset, string)>();
        foreach (var tick in due.Take(due.Count - 1))
        {
            if (!taken.ContainsKey(BackupSchedule.TickId(tick)) && tick >= since)
            {
                missed.Add((tick, $"overtaken by tick {BackupSchedule.TickId(newest)}"));
            }
        }

        if (taken.TryGetValue(BackupSchedule.TickId(newest), out var id))
        {
            skipped.Add((newest, $"already taken as {id}"));
            return new TickPlan(null, skipped, missed);
        }

        var late = now - newest;
        var grace = schedule.Grace(newest);
        if (late >= grace)
        {
            missed.Add(
                (
                    newest,
                    $"{late.TotalSeconds:0} s late when this pod looked as the primary, beyond its grace of {grace.TotalSeconds:0} s (the schedule's period, at most an hour)"
                )
            );
            return new TickPlan(null, skipped, missed);
        }

        return new TickPlan(newest, skipped, missed);
    }
}
