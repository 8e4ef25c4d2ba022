namespace MysqlAgent.Replication.Positions;

/// <summary>How far one server has got: everything it has executed or already holds in its relay log.</summary>
/// <remarks>
/// MySQL: <c>@@gtid_executed</c> ∪ <c>Retrieved_Gtid_Set</c> (the latter can be empty right after a
/// failover, moco #370, hence the union). MariaDB: per domain, the highest sequence number of
/// <c>@@gtid_current_pos</c> and <c>Gtid_IO_Pos</c>; under <c>gtid_strict_mode</c> a domain's
/// history is a prefix, so the sequence number alone orders two servers (MaxScale's rule).
/// </remarks>
public abstract record GtidProgress
{
    private protected GtidProgress() { }

    public static GtidProgress MySql(MysqlGtidSet executed, MysqlGtidSet retrieved)
    {
        ArgumentNullException.ThrowIfNull(executed);
        ArgumentNullException.ThrowIfNull(retrieved);
        return new MySqlProgress(GtidSets.Union(executed, retrieved));
    }

    public static GtidProgress MariaDb(MariaDbGtidPosition current, MariaDbGtidPosition ioPosition)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(ioPosition);
        var sequences = new SortedDictionary<uint, ulong>();
        foreach (var gtid in current.Gtids.Concat(ioPosition.Gtids))
        {
            sequences[gtid.Domain] = Math.Max(
                sequences.GetValueOrDefault(gtid.Domain),
                gtid.Sequence
            );
        }

        return new MariaDbProgress(sequences);
    }

    /// <summary>Whether this server holds every transaction <paramref name="other"/> holds.</summary>
    /// <exception cref="ArgumentException">The two are of different server families.</exception>
    public abstract bool Contains(GtidProgress other);

    /// <summary>
    /// How many transactions <paramref name="other"/> holds that this server lacks: GTIDs on MySQL;
    /// on MariaDB, per domain, how far its sequence number is behind (one per transaction under
    /// <c>gtid_strict_mode</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The two are of different server families.</exception>
    public abstract ulong CountMissing(GtidProgress other);

    /// <summary>Where <paramref name="self"/> stands relative to <paramref name="other"/>.</summary>
    public static ProgressOrder Compare(GtidProgress self, GtidProgress other)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(other);
        return (self.Contains(other), other.Contains(self)) switch
        {
            (true, true) => ProgressOrder.Same,
            (true, false) => ProgressOrder.Ahead,
            (false, true) => ProgressOrder.Behind,
            _ => ProgressOrder.Diverged,
        };
    }

    /// <summary><paramref name="other"/> as this family's progress.</summary>
    /// <exception cref="ArgumentException">It is the other family's.</exception>
    private static T Of<T>(GtidProgress other)
        where T : GtidProgress =>
        other as T
        ?? throw new ArgumentException("cannot compare MySQL and MariaDB positions", nameof(other));

    private sealed record MySqlProgress(MysqlGtidSet Set) : GtidProgress
    {
        public override bool Contains(GtidProgress other) =>
            GtidSets.IsSubset(Of<MySqlProgress>(other).Set, Set);

        public override ulong CountMissing(GtidProgress other) =>
            GtidSets.CountMissing(Of<MySqlProgress>(other).Set, Set);

        public override string ToString() => Set.Text;
    }

    private sealed record MariaDbProgress(SortedDictionary<uint, ulong> Sequences) : GtidProgress
    {
        public override bool Contains(GtidProgress other) =>
            Of<MariaDbProgress>(other)
                .Sequences.All(d => Sequences.GetValueOrDefault(d.Key) >= d.Value);

        public override ulong CountMissing(GtidProgress other) =>
            Of<MariaDbProgress>(other)
                .Sequences.Aggregate(
                    0UL,
                    (sum, d) =>
                        sum + (d.Value - Math.Min(d.Value, Sequences.GetValueOrDefault(d.Key)))
                );

        public override string ToString() =>
            string.Join(',', Sequences.Select(d => $"{d.Key}:{d.Value}"));
    }
}

public enum ProgressOrder
{
    Same,
    Ahead,
    Behind,

    /// <summary>Each holds transactions the other lacks: promoting either loses the other's.</summary>
    Diverged,
}
