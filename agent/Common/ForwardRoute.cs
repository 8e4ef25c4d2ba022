using System.Net;

namespace MysqlAgent.Common;

/// <summary>
/// Where a <see cref="RouteForwarder"/> sends a new connection now: to <paramref name="Target"/>,
/// the mysqld of <paramref name="Holder"/> in <paramref name="Term"/>, or nowhere (refused).
/// </summary>
/// <param name="Target">The holder's mysqld; null when there is no route.</param>
/// <param name="Holder">The Lease's holder (empty when none).</param>
/// <param name="Term">The Lease's term; below 0 when the Lease could not be read (nothing is cut then).</param>
/// <param name="Text">Where connections go, or why they are refused, for the log.</param>
internal sealed record ForwardRoute(EndPoint? Target, string Holder, long Term, string Text)
{
    public bool IsOpen => Target is not null;

    /// <summary>Whether the Lease was read, so that connections to another holder or term may be cut.</summary>
    public bool IsKnown => Term >= 0;

    /// <summary>Whether a connection forwarded to <paramref name="holder"/> in <paramref name="term"/> belongs to this route.</summary>
    public bool Leads(string holder, long term) => Holder == holder && Term == term;
}
