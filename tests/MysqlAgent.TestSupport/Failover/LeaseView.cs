namespace MysqlAgent.TestSupport.Failover;

/// <summary>The Lease of a set made with failover (the default; not <c>up --fixed-primary</c>), and where the mysql-primary port sends a new connection.</summary>
public sealed record LeaseView(string Holder, long Term, string Route)
{
    public int HolderOrdinal =>
        Holder.StartsWith("mysql-", StringComparison.Ordinal)
            ? int.Parse(
                Holder["mysql-".Length..],
                System.Globalization.CultureInfo.InvariantCulture
            )
            : -1;
}
