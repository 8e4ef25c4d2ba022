namespace MysqlAgent.Health;

/// <summary>Who holds the Lease in which term, as the election last saw it: all that readiness and <c>/status</c> need of it.</summary>
/// <param name="Holder">The holder's pod name; empty when the Lease is released.</param>
/// <param name="Term">The term.</param>
public sealed record LeaseHolder(string Holder, long Term)
{
    public bool IsHeld => Holder.Length > 0;
}
