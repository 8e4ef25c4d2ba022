using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Cronos;

namespace MysqlAgent.Archive.Schedule;

/// <summary>
/// <c>--backup-schedule</c> in <c>--backup-schedule-time-zone</c>: a 5-field cron expression read in
/// an IANA zone, so that "0 3 * * *" in Europe/Berlin is 03:00 local on both sides of a DST change
/// (Cronos runs a time that a spring-forward skips at the transition, and one that a fall-back
/// repeats once). A tick is one occurrence, named by its UTC time, which is unique even where the
/// local time repeats.
/// </summary>
public sealed class BackupSchedule
{
    public const string TickFormat = "yyyyMMdd'T'HHmmss'Z'";
    public const string Example = "\"0 3 * * *\" (03:00 every day)";
    public const string ZoneExample = "Europe/Berlin or UTC";

    /// <summary>The longest a tick may be late and still be taken (the period, if shorter, else this).</summary>
    public static readonly TimeSpan MaxGrace = TimeSpan.FromHours(1);

    private readonly CronExpression _expression;

    private BackupSchedule(CronExpression expression, string text, TimeZoneInfo zone)
    {
        _expression = expression;
        Text = text;
        Zone = zone;
    }

    /// <summary>The expression as given.</summary>
    public string Text { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>A schedule, or null and the problem as one line naming the option and an example.</summary>
    public static BackupSchedule? Parse(string cron, string? zoneId, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(cron);
        problem = null;
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            problem =
                $"--backup-schedule '{cron}' is not a 5-field cron expression (minute hour day-of-month month day-of-week): {e.Message.TrimEnd('.')}; e.g. {Example}";
            return null;
        }

        if (!TryFindZone(zoneId, out var zone))
        {
            problem =
                $"--backup-schedule-time-zone '{zoneId}' is not an IANA time zone id: e.g. {ZoneExample}";
            return null;
        }

        return new BackupSchedule(expression, cron.Trim(), zone);
    }

    /// <summary>The first tick strictly after <paramref name="after"/>; null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after, Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The last tick at or before <paramref name="atOrBefore"/>; null when there is none.</summary>
    public DateTimeOffset? Previous(DateTimeOffset atOrBefore) =>
        _expression.GetPreviousOccurrence(atOrBefore, Zone, inclusive: true)?.ToUniversalTime();

    /// <summary>The ticks after <paramref name="after"/> up to and including <paramref name="until"/>, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until) =>
        until <= after
            ? []
            :
            [
                .. _expression
                    .GetOccurrences(after, until, Zone, fromInclusive: false, toInclusive: true)
                    .Select(t => t.ToUniversalTime()),
            ];

    /// <summary>
    /// How late <paramref name="tick"/> may still be taken: until the next tick, but at most
    /// <see cref="MaxGrace"/>, so that a late backup never runs into the next one's slot and a
    /// daily backup is not taken in the middle of the day it was meant to avoid.
    /// </summary>
    public TimeSpan Grace(DateTimeOffset tick) =>
        Next(tick) is { } next && next - tick < MaxGrace ? next - tick : MaxGrace;

    public static string TickId(DateTimeOffset tick) =>
        tick.UtcDateTime.ToString(TickFormat, CultureInfo.InvariantCulture);

    /// <summary>A tick id back into its time; false for anything not written by <see cref="TickId"/>.</summary>
    public static bool TryParseTick(string? id, out DateTimeOffset tick)
    {
        if (
            id is { Length: 16 }
            && DateTimeOffset.TryParseExact(
                id,
                TickFormat,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out tick
            )
        )
        {
            return true;
        }

        tick = default;
        return false;
    }

    public override string ToString() => $"'{Text}' in {Zone.Id}";

    private static bool TryFindZone(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        if (id is null or "" or "UTC" or "Etc/UTC")
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone);
    }
}
