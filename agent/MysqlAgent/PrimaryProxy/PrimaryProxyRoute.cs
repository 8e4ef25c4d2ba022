using System.Net;
using MysqlAgent.Common;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Identity;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.PrimaryProxy;

/// <summary>
/// Where the primary proxy sends a new connection, from what the election last saw of the Lease
/// (the rule is <see cref="LeaseRoute"/>, shared with the local set):
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
            return LeaseRoute.Refused("", -1, "refusing: the election has not read the Lease yet");
        }

        return LeaseRoute.Decide(
            lease.Holder,
            lease.Term,
            lease.Promoted,
            sinceChanged,
            renewDeadline,
            MysqldOf,
            self.StatefulSetName
        );

        (EndPoint, string)? MysqldOf(string holder)
        {
            if (
                !PodIdentity.TryParse(holder, out var pod, out _)
                || pod.StatefulSetName != self.StatefulSetName
            )
            {
                return null;
            }

            var target = mysqldOf(pod.Ordinal);
            return (ToEndPoint(target), $"{target.Host}:{target.Port}");
        }
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
            LeaseRoute.Say(
                $"to {name} ({target.Host}:{target.Port}), ordinal 0 without an election"
            )
        );
    }

    /// <summary>An address as such (a --connect-to to 127.0.0.1), else a DNS name resolved at each connection.</summary>
    private static EndPoint ToEndPoint(Endpoint target) =>
        IPAddress.TryParse(target.Host, out var address)
            ? new IPEndPoint(address, target.Port)
            : new DnsEndPoint(target.Host, target.Port);
}
