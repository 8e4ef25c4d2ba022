namespace MysqlAgent.Health;

/// <summary>Who holds the Lease in which term, as the election last saw it: all that readiness and <c>/status</c> need of it.</summary>
/// <param name="Holder">The holder's pod name; empty when the Lease is released.</param>
/// <param name="Term">The term.</param>
public sealed record LeaseHolder(string Holder, long Term)
{
    public bool IsHeld => Holder.Length > 0;

    /// <summary>Whether the holder has promoted its mysqld in this term (recorded the term's fork point in the Lease).</summary>
    public bool Promoted { get; init; }

    /// <summary>The holder and term of <paramref name="lease"/>, and whether its history shows the holder promoted in it.</summary>
    public static LeaseHolder Of(Election.LeaseRecord lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new LeaseHolder(lease.Holder, lease.Term)
        {
            Promoted = lease.History.Any(h => h.Term == lease.Term && h.Holder == lease.Holder),
        };
    }
}
