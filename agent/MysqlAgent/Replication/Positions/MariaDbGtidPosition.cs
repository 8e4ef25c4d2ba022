using System.Globalization;

namespace MysqlAgent.Replication.Positions;

/// <summary>
/// A MariaDB GTID position (<c>gtid_slave_pos</c>, <c>gtid_binlog_pos</c>): at most one
/// <c>domain-server-sequence</c> per replication domain, comma separated. The empty position is
/// valid: it is what a replica cloned from a primary that never wrote a GTID starts from.
/// </summary>
public sealed record MariaDbGtidPosition
{
    private MariaDbGtidPosition(IReadOnlyList<MariaDbGtid> gtids, string text)
    {
        Gtids = gtids;
        Text = text;
    }

    public static MariaDbGtidPosition Empty { get; } = new([], "");

    /// <summary>The GTIDs, one per domain, sorted by domain.</summary>
    public IReadOnlyList<MariaDbGtid> Gtids { get; }

    /// <summary>The canonical text (sorted by domain, no spaces), ready to be quoted into SQL.</summary>
    public string Text { get; }

    public bool IsEmpty => Gtids.Count == 0;

    public bool Equals(MariaDbGtidPosition? other) =>
        other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public override string ToString() => Text;

    /// <exception cref="FormatException">The text is not a MariaDB GTID position.</exception>
    public static MariaDbGtidPosition Parse(string text) =>
        TryParse(text, out var position, out var error)
            ? position!
            : throw new FormatException(error);

    public static bool TryParse(string text, out MariaDbGtidPosition? position, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        position = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            position = Empty;
            error = null;
            return true;
        }

        var gtids = new List<MariaDbGtid>();
        foreach (var raw in text.Split(','))
        {
            var parts = raw.Trim().Split('-');
            if (
                parts.Length != 3
                || !TryNumber(parts[0], out var domain)
                || domain > uint.MaxValue
                || !TryNumber(parts[1], out var server)
                || server > uint.MaxValue
                || !TryNumber(parts[2], out var sequence)
            )
            {
                error =
                    "a MariaDB GTID position: domain-server-sequence[,domain-server-sequence...] such as 0-100-14";
                return false;
            }

            if (gtids.Exists(g => g.Domain == domain))
            {
                error = "a MariaDB GTID position with at most one GTID per domain";
                return false;
            }

            gtids.Add(new MariaDbGtid((uint)domain, (uint)server, sequence));
        }

        gtids.Sort((a, b) => a.Domain.CompareTo(b.Domain));
        position = new MariaDbGtidPosition(gtids, string.Join(',', gtids));
        error = null;
        return true;
    }

    private static bool TryNumber(string text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
