using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MysqlAgent.Replication.Positions;

/// <summary>
/// A MySQL GTID set such as <c>3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9,uuid2:1-3</c>, with
/// 8.3+ tags (<c>uuid:tag:1-3</c>). Parsing accepts the spellings the tools write (upper or lower
/// case, a newline or spaces after each comma); equality compares the canonical form, so a set read
/// back from <c>@@GLOBAL.gtid_executed</c> can be compared with the one in a clone's info file.
/// </summary>
public sealed partial record MysqlGtidSet
{
    private MysqlGtidSet(string text) => Text = text;

    public static MysqlGtidSet Empty { get; } = new("");

    /// <summary>Canonical text: lower-case UUIDs in order, intervals sorted and merged, no whitespace.</summary>
    public string Text { get; }

    public bool IsEmpty => Text.Length == 0;

    public override string ToString() => Text;

    /// <exception cref="FormatException">The text is not a GTID set.</exception>
    public static MysqlGtidSet Parse(string text) =>
        TryParse(text, out var set, out var error) ? set! : throw new FormatException(error);

    public static bool TryParse(string text, out MysqlGtidSet? set, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        set = null;
        error =
            "a MySQL GTID set: uuid:interval[:interval...][,uuid:...] such as 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5";
        if (string.IsNullOrWhiteSpace(text))
        {
            set = Empty;
            error = null;
            return true;
        }

        // uuid -> tag ("" when untagged) -> intervals
        var sources = new SortedDictionary<string, SortedDictionary<string, List<(ulong, ulong)>>>(
            StringComparer.Ordinal
        );
        foreach (var rawElement in text.Split(','))
        {
            var parts = rawElement.Trim().Split(':');
            if (parts.Length < 2 || !UuidPattern().IsMatch(parts[0]))
            {
                return false;
            }

            var uuid = parts[0].ToLowerInvariant();
            if (!sources.TryGetValue(uuid, out var tags))
            {
                tags = new SortedDictionary<string, List<(ulong, ulong)>>(StringComparer.Ordinal);
                sources.Add(uuid, tags);
            }

            var tag = "";
            var intervalsSinceTag = 0;
            for (var i = 1; i < parts.Length; i++)
            {
                if (TryInterval(parts[i], out var interval))
                {
                    if (!tags.TryGetValue(tag, out var list))
                    {
                        list = [];
                        tags.Add(tag, list);
                    }

                    list.Add(interval);
                    intervalsSinceTag++;
                }
                else if (TagPattern().IsMatch(parts[i]) && (i == 1 || intervalsSinceTag > 0))
                {
                    tag = parts[i].ToLowerInvariant();
                    intervalsSinceTag = 0;
                }
                else
                {
                    return false;
                }
            }

            if (intervalsSinceTag == 0)
            {
                return false;
            }
        }

        set = new MysqlGtidSet(Render(sources));
        error = null;
        return true;
    }

    private static bool TryInterval(string text, out (ulong Start, ulong End) interval)
    {
        interval = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var startText = dash < 0 ? text : text[..dash];
        var endText = dash < 0 ? text : text[(dash + 1)..];
        if (
            !ulong.TryParse(
                startText,
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var start
            )
            || !ulong.TryParse(
                endText,
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var end
            )
            || start == 0
            || end < start
            || end > long.MaxValue
        )
        {
            return false;
        }

        interval = (start, end);
        return true;
    }

    private static string Render(
        SortedDictionary<string, SortedDictionary<string, List<(ulong Start, ulong End)>>> sources
    )
    {
        var text = new StringBuilder();
        foreach (var (uuid, tags) in sources)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(uuid);
            foreach (var (tag, intervals) in tags)
            {
                if (tag.Length > 0)
                {
                    text.Append(':').Append(tag);
                }

                foreach (var (start, end) in Merge(intervals))
                {
                    text.Append(':').Append(start.ToString(CultureInfo.InvariantCulture));
                    if (end != start)
                    {
                        text.Append('-').Append(end.ToString(CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        return text.ToString();
    }

    private static IEnumerable<(ulong Start, ulong End)> Merge(
        List<(ulong Start, ulong End)> intervals
    )
    {
        intervals.Sort();
        var (start, end) = intervals[0];
        foreach (var (nextStart, nextEnd) in intervals.Skip(1))
        {
            if (nextStart <= end + 1)
            {
                end = Math.Max(end, nextEnd);
                continue;
            }

            yield return (start, end);
            (start, end) = (nextStart, nextEnd);
        }

        yield return (start, end);
    }

    [GeneratedRegex(
        @"\A[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\z",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex UuidPattern();

    // MySQL 8.3+ GTID tags: a letter or underscore, then up to 31 letters, digits or underscores.
    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
