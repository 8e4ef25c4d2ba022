using System.Globalization;
using System.Net;

namespace MysqlAgent.Common;

/// <summary>
/// The rule both mysql-primary endpoints (the local set's kubelet, the agent's primary proxy)
/// route by, once the Lease is read: to the holder's mysqld only while the holder has promoted it in
/// its term and its renewals are fresh. A holder that stopped renewing for the renew deadline
/// (frozen, cut off from the store) fences itself at that deadline, so no client is sent to it
/// after it; one that has not promoted yet would refuse writes.
/// </summary>
internal static class LeaseRoute
{
    /// <summary>The route for the Lease naming <paramref name="holder"/> in <paramref name="term"/>.</summary>
    /// <param name="holder">The Lease's holder; empty when released.</param>
    /// <param name="term">The Lease's term.</param>
    /// <param name="promoted">Whether the Lease's history records the holder's fork point of this term.</param>
    /// <param name="sinceRenewal">How long ago the holder last renewed, as the caller judges it; null when unknown.</param>
    /// <param name="renewDeadline">The agents' renew deadline.</param>
    /// <param name="mysqldOf">The holder's mysqld and its address for the log; null when the holder is not a pod of the set.</param>
    /// <param name="set">The set, for the log.</param>
    public static ForwardRoute Decide(
        string holder,
        long term,
        bool promoted,
        TimeSpan? sinceRenewal,
        TimeSpan renewDeadline,
        Func<string, (EndPoint Target, string Address)?> mysqldOf,
        string set
    )
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(mysqldOf);
        if (holder.Length == 0)
        {
            return Refused("", term, Say($"refusing: nobody holds the Lease (term {term})"));
        }

        if (mysqldOf(holder) is not { } mysqld)
        {
            return Refused(
                holder,
                term,
                $"refusing: the Lease names '{holder}', not a pod of {set}"
            );
        }

        if (!promoted)
        {
            return Refused(
                holder,
                term,
                Say($"refusing: {holder} holds term {term} but has not promoted yet")
            );
        }

        if (sinceRenewal is not { } since || since >= renewDeadline)
        {
            return Refused(
                holder,
                term,
                Say(
                    $"refusing: {holder} stopped renewing term {term} (renew deadline {renewDeadline.TotalSeconds:0.#} s)"
                )
            );
        }

        return new ForwardRoute(
            mysqld.Target,
            holder,
            term,
            Say($"to {holder} ({mysqld.Address}, term {term})")
        );
    }

    public static ForwardRoute Refused(string holder, long term, string text) =>
        new(null, holder, term, text);

    public static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
