using System.Globalization;
using System.Net;
using MysqlAgent.Common;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Identity;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.PrimaryProxy;

/// <summary>
/// Where the primary proxy sends a new connection, from what the election last saw of the Lease:
/// to the holder's mysqld only while the holder has promoted in its term and its renewals are fresh
/// (the Lease changed, on this agent's clock, within the renew deadline). A holder that stopped
/// renewing for the renew deadline fences itself at that deadline, so no client is sent to it after
/// it; one that has not promoted yet would refuse writes. Without an election, always ordinal 0.
/// </summary>
internal static class PrimaryProxyRoute
{
    /// <summary>The route now, from the role provider (the election's view) and the agent's addressing of peers.</summary>
    public static ForwardRoute For(RoleProvider role, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(options);
        return role.ElectionEnabled
            ? Decide(
                role.Lease,
                role.SinceLeaseChanged,
                options.ElectionTimings.RenewDeadline,
                options.Pod,
                options.PeerMysqlEndpoint
            )
            : Ordinal0(options.Pod, options.PeerMysqlEndpoint);
    }

    /// <summary>The route for <paramref name="lease"/>, whose record last changed <paramref name="sinceChanged"/> ago.</summary>
    /// <param name="lease">The Lease as the election last saw it; null before the first read.</param>
    /// <param name="sinceChanged">How long ago the election last saw the record change.</param>
    /// <param name="renewDeadline">The holder fences itself once it has not renewed for this long.</param>
    /// <param name="self">This pod: the holder must be a pod of the same StatefulSet.</param>
    /// <param name="mysqldOf">The mysqld of the pod with an ordinal, as the agent addresses peers.</param>
    public static ForwardRoute Decide(
        LeaseHolder? lease,
        TimeSpan? sinceChanged,
        TimeSpan renewDeadline,
        PodIdentity self,
        Func<int, Endpoint> mysqldOf
    )
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(mysqldOf);
        if (lease is null)
        {
            return Refused("", -1, "refusing: the election has not read the Lease yet");
        }

        if (!lease.IsHeld)
        {
            return Refused(
                "",
                lease.Term,
                Say($"refusing: nobody holds the Lease (term {lease.Term})")
            );
        }

        if (
            !PodIdentity.TryParse(lease.Holder, out var holder, out _)
            || holder.StatefulSetName != self.StatefulSetName
        )
        {
            return Refused(
                lease.Holder,
                lease.Term,
                $"refusing: the Lease names '{lease.Holder}', not a pod of {self.StatefulSetName}"
            );
        }

        if (!lease.Promoted)
        {
            return Refused(
                lease.Holder,
                lease.Term,
                Say($"refusing: {lease.Holder} holds term {lease.Term} but has not promoted yet")
            );
        }

        if (sinceChanged is not { } since || since >= renewDeadline)
        {
            return Refused(
                lease.Holder,
                lease.Term,
                Say(
                    $"refusing: no renewal of term {lease.Term} by {lease.Holder} seen within the renew deadline ({renewDeadline.TotalSeconds:0.#} s)"
                )
            );
        }

        var target = mysqldOf(holder.Ordinal);
        return new ForwardRoute(
            ToEndPoint(target),
            lease.Holder,
            lease.Term,
            Say($"to {lease.Holder} ({target.Host}:{target.Port}, term {lease.Term})")
        );
    }

    /// <summary>Without an election (<c>--lease-store none</c>): ordinal 0 is the primary, in a term that never changes.</summary>
    public static ForwardRoute Ordinal0(PodIdentity self, Func<int, Endpoint> mysqldOf)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(mysqldOf);
        var target = mysqldOf(0);
        var name = self.PeerPodName(0);
        return new ForwardRoute(
            ToEndPoint(target),
            name,
            0,
            Say($"to {name} ({target.Host}:{target.Port}), ordinal 0 without an election")
        );
    }

    /// <summary>An address as such (a --connect-to to 127.0.0.1), else a DNS name resolved at each connection.</summary>
    private static EndPoint ToEndPoint(Endpoint target) =>
        IPAddress.TryParse(target.Host, out var address)
            ? new IPEndPoint(address, target.Port)
            : new DnsEndPoint(target.Host, target.Port);

    private static ForwardRoute Refused(string holder, long term, string text) =>
        new(null, holder, term, text);

    private static string Say(FormattableString text) =>
        text.ToString(CultureInfo.InvariantCulture);
}
