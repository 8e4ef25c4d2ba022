using System.Globalization;

namespace MysqlAgent.Replication.Positions;

/// <summary>
/// The two pieces of GTID set algebra the election needs on MySQL, computed in the agent so a
/// comparison never needs a live server (<c>GTID_SUBSET</c> gives the same answers).
/// </summary>
public static class GtidSets
{
    public static MysqlGtidSet Union(MysqlGtidSet a, MysqlGtidSet b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.IsEmpty ? b
            : b.IsEmpty ? a
            : MysqlGtidSet.Parse(a.Text + "," + b.Text);
    }

    /// <summary>Whether every GTID of <paramref name="subset"/> is in <paramref name="set"/>.</summary>
    public static bool IsSubset(MysqlGtidSet subset, MysqlGtidSet set)
    {
        ArgumentNullException.ThrowIfNull(subset);
        ArgumentNullException.ThrowIfNull(set);
        var outer = Intervals(set);
        foreach (var (key, intervals) in Intervals(subset))
        {
            if (!outer.TryGetValue(key, out var covering))
            {
                return false;
            }

            // Both lists are merged and sorted (canonical text), so each interval must sit inside one.
            if (!intervals.All(i => covering.Exists(c => c.Start <= i.Start && i.End <= c.End)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How many GTIDs of <paramref name="wanted"/> are not in <paramref name="set"/>.</summary>
    public static ulong CountMissing(MysqlGtidSet wanted, MysqlGtidSet set)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(set);
        var held = Intervals(set);
        ulong missing = 0;
        foreach (var (key, intervals) in Intervals(wanted))
        {
            var covering = held.GetValueOrDefault(key) ?? [];
            foreach (var (start, end) in intervals)
            {
                var count = end - start + 1;
                foreach (var c in covering)
                {
                    var from = Math.Max(start, c.Start);
                    var to = Math.Min(end, c.End);
                    if (from <= to)
                    {
                        count -= to - from + 1;
                    }
                }

                missing += count;
            }
        }

        return missing;
    }

    /// <summary>"uuid" or "uuid:tag" → intervals, read from the canonical text.</summary>
    private static Dictionary<string, List<(ulong Start, ulong End)>> Intervals(MysqlGtidSet set)
    {
        var result = new Dictionary<string, List<(ulong, ulong)>>(StringComparer.Ordinal);
        if (set.IsEmpty)
        {
            return result;
        }

        foreach (var element in set.Text.Split(','))
        {
            var parts = element.Split(':');
            var key = parts[0];
            for (var i = 1; i < parts.Length; i++)
            {
                var part = parts[i];
                if (!char.IsAsciiDigit(part[0]))
                {
                    key = parts[0] + ":" + part;
                    continue;
                }

                var dash = part.IndexOf('-', StringComparison.Ordinal);
                var start = ulong.Parse(
                    dash < 0 ? part : part[..dash],
                    CultureInfo.InvariantCulture
                );
                var end =
                    dash < 0
                        ? start
                        : ulong.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
                if (!result.TryGetValue(key, out var list))
                {
                    list = [];
                    result.Add(key, list);
                }

                list.Add((start, end));
            }
        }

        return result;
    }
}
