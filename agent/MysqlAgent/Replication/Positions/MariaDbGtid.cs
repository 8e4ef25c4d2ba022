using System.Globalization;

namespace MysqlAgent.Replication.Positions;

/// <summary>One MariaDB GTID: replication domain, originating server id, sequence number.</summary>
public readonly record struct MariaDbGtid(uint Domain, uint ServerId, ulong Sequence)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Domain}-{ServerId}-{Sequence}");
}
