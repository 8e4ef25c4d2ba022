using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// The transactions a binlog archive holds up to, or where one binlog file starts or ends, in the
/// flavour's own terms: on MariaDB the highest sequence number per replication domain (a
/// <c>Gtid_list</c> event may name several server ids in one domain; the highest sequence is the
/// domain's position), on MySQL a GTID set. Comparisons need no server.
/// </summary>
public sealed record BinlogCoverage
{
    private readonly MariaDbGtidPosition? _mariaDb;
    private readonly MysqlGtidSet? _mysql;

    private BinlogCoverage(MariaDbGtidPosition mariaDb)
    {
        _mariaDb = mariaDb;
        Flavour = MariaDbFlavour;
        Text = mariaDb.Text;
    }

    private BinlogCoverage(MysqlGtidSet mysql)
    {
        _mysql = mysql;
        Flavour = MysqlFlavour;
        Text = mysql.Text;
    }

    public const string MariaDbFlavour = "mariadb";
    public const string MysqlFlavour = "mysql";

    /// <summary><c>mariadb</c> or <c>mysql</c>, as the manifests write it.</summary>
    public string Flavour { get; }

    /// <summary>The canonical text: a MariaDB GTID position (one GTID per domain) or a MySQL GTID set.</summary>
    public string Text { get; }

    public bool IsEmpty => Text.Length == 0;

    public static BinlogCoverage Empty(string flavour) =>
        flavour == MariaDbFlavour
            ? new BinlogCoverage(MariaDbGtidPosition.Empty)
            : new BinlogCoverage(MysqlGtidSet.Empty);

    /// <summary>
    /// Reads a position or a <c>Gtid_list</c>/<c>Previous_gtids</c> event's text (MariaDB's in
    /// brackets, with any number of server ids per domain).
    /// </summary>
    /// <exception cref="FormatException">The text is not a GTID position of that flavour.</exception>
    public static BinlogCoverage Parse(string flavour, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimStart('[').TrimEnd(']').Trim();
        if (flavour == MysqlFlavour)
        {
            return new BinlogCoverage(
                MysqlGtidSet.Parse(trimmed.Replace("\n", "", StringComparison.Ordinal))
            );
        }

        if (flavour != MariaDbFlavour)
        {
            throw new FormatException(
                $"flavour '{flavour}' is neither {MariaDbFlavour} nor {MysqlFlavour}"
            );
        }

        var highest = new Dictionary<uint, string>();
        var sequences = new Dictionary<uint, ulong>();
        foreach (
            var raw in trimmed.Split(
                ',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
            )
        )
        {
            var one = MariaDbGtidPosition.Parse(raw).Gtids[0];
            if (!sequences.TryGetValue(one.Domain, out var seen) || one.Sequence > seen)
            {
                sequences[one.Domain] = one.Sequence;
                highest[one.Domain] = one.ToString();
            }
        }

        return new BinlogCoverage(MariaDbGtidPosition.Parse(string.Join(',', highest.Values)));
    }

    /// <summary>Whether everything <paramref name="other"/> covers is covered here.</summary>
    public bool Contains(BinlogCoverage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Same(other);
        if (_mysql is not null)
        {
            return GtidSets.IsSubset(other._mysql!, _mysql);
        }

        return other._mariaDb!.Gtids.All(g =>
            _mariaDb!.Gtids.Any(h => h.Domain == g.Domain && h.Sequence >= g.Sequence)
        );
    }

    public BinlogCoverage Union(BinlogCoverage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Same(other);
        if (_mysql is not null)
        {
            return new BinlogCoverage(GtidSets.Union(_mysql, other._mysql!));
        }

        return Parse(MariaDbFlavour, Text + "," + other.Text);
    }

    public override string ToString() => Text.Length == 0 ? "(empty)" : Text;

    private void Same(BinlogCoverage other)
    {
        if (other.Flavour != Flavour)
        {
            throw new InvalidOperationException(
                $"cannot compare a {Flavour} GTID position with a {other.Flavour} one"
            );
        }
    }
}
