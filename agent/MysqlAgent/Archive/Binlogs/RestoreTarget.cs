namespace MysqlAgent.Archive.Binlogs;

/// <summary>How far a point-in-time restore replays the archived binlogs after its backup.</summary>
public abstract record RestoreTarget
{
    private RestoreTarget() { }

    /// <summary>Everything archived (<c>--latest</c>).</summary>
    public sealed record Latest : RestoreTarget
    {
        public override string ToString() => "--latest";
    }

    /// <summary>Every transaction committed at or before <see cref="Time"/> (<c>--to-time</c>, UTC).</summary>
    public sealed record ToTime(DateTimeOffset Time) : RestoreTarget
    {
        public override string ToString() => "--to-time " + Format(Time);
    }

    /// <summary>Up to and including <see cref="Gtid"/> (<c>--to-gtid</c>).</summary>
    public sealed record ToGtid(BinlogCoverage Gtid) : RestoreTarget
    {
        public override string ToString() => "--to-gtid " + Gtid.Text;
    }

    /// <summary>A time as the options take it: <c>2026-12-07T14:03:00Z</c>.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString(
            "yyyy-MM-dd'T'HH:mm:ss'Z'",
            System.Globalization.CultureInfo.InvariantCulture
        );
}
