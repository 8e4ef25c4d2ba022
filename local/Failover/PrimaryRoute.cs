using System.Globalization;
using System.Net;
using MysqlAgent.Common;
using MysqlAgent.Identity;
using MysqlLocal.State;

namespace MysqlLocal.Failover;

/// <summary>
/// Where mysql-primary sends a new connection, from the Lease alone: to the holder's mysqld only
/// while the holder has promoted it in its term and its renewals are fresh. A holder that stopped
/// renewing for the renew deadline (frozen, cut off from the store) fences itself at that deadline,
/// so no client is sent to it after it; one that has not promoted yet would refuse writes. Without
/// a route the connection is refused, or held briefly until one opens (<see cref="PrimaryForwarder"/>).
/// </summary>
/// <param name="Port">The holder's mysqld port; null when there is no route.</param>
/// <param name="Holder">The Lease's holder (empty when none).</param>
/// <param name="Term">The Lease's term (0 before the Lease exists).</param>
/// <param name="Text">Where connections go, or why they are refused, for the log.</param>
public sealed record PrimaryRoute(int? Port, string Holder, long Term, string Text)
{
    /// <summary>
    /// The agents' default renew deadline (<c>--renew-deadline-seconds</c>, MysqlAgent's
    /// ElectionTimings.Default); mysql-local does not reference the agent, a unit test compares them.
    /// </summary>
    public static readonly TimeSpan DefaultRenewDeadline = TimeSpan.FromSeconds(10);

    public bool IsOpen => Port is not null;

    /// <summary>The route for <paramref name="lease"/> as read at <paramref name="now"/>.</summary>
    public static PrimaryRoute Decide(
        LeaseFile? lease,
        DateTimeOffset now,
        TimeSpan renewDeadline,
        int basePort
    )
    {
        if (lease is null)
        {
            return Refused("", 0, "refusing: no Lease yet");
        }

        var route = LeaseRoute.Decide(
            lease.Holder,
            lease.Term,
            lease.Promoted,
            now - lease.RenewedAt,
            renewDeadline,
            MysqldOf,
            "this set"
        );
        return new PrimaryRoute(
            (route.Target as IPEndPoint)?.Port,
            route.Holder,
            route.Term,
            route.Text
        );

        (EndPoint, string)? MysqldOf(string holder)
        {
            if (
                !PodIdentity.TryParse(holder, out var identity, out _)
                || identity.StatefulSetName != SetPaths.StatefulSetName
                || identity.Ordinal >= PodPorts.MaxOrdinals
            )
            {
                return null;
            }

            var port = PodPorts.For(basePort, identity.Ordinal).Mysql;
            return (new IPEndPoint(IPAddress.Loopback, port), $"127.0.0.1:{port}");
        }
    }

    /// <summary>With a fixed primary: always mysql-0's mysqld, in a term that never changes.</summary>
    public static PrimaryRoute FixedPrimary(int basePort)
    {
        var port = PodPorts.For(basePort, 0).Mysql;
        return new PrimaryRoute(
            port,
            SetPaths.PodName(0),
            0,
            Say($"to mysql-0 (127.0.0.1:{port}), the fixed primary")
        );
    }

    /// <summary>The route now, from the Lease file; an unreadable file refuses, saying why.</summary>
    public static PrimaryRoute Read(
        SetPaths paths,
        int basePort,
        TimeSpan renewDeadline,
        TimeProvider time
    )
    {
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            return Decide(LeaseFile.Read(paths), time.GetUtcNow(), renewDeadline, basePort);
        }
        catch (LocalSetException e)
        {
            return Refused("", -1, "refusing: " + e.Message);
        }
    }

    /// <summary>
    /// The renew deadline the set's agents run with: <c>--renew-deadline-seconds</c> among the
    /// arguments <c>up</c> passes them (<c>--agent-arg</c>), else the agents' default.
    /// </summary>
    public static TimeSpan RenewDeadline(IReadOnlyList<string> agentArguments)
    {
        ArgumentNullException.ThrowIfNull(agentArguments);
        const string Option = "--renew-deadline-seconds";
        for (var i = 0; i < agentArguments.Count; i++)
        {
            var argument = agentArguments[i];
            var value =
                argument.StartsWith(Option + "=", StringComparison.Ordinal)
                    ? argument[(Option.Length + 1)..]
                : argument == Option && i + 1 < agentArguments.Count ? agentArguments[i + 1]
                : null;
            if (
                value is not null
                && double.TryParse(
                    value,
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture,
                    out var seconds
                )
                && seconds > 0
            )
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return DefaultRenewDeadline;
    }

    private static PrimaryRoute Refused(string holder, long term, string text) =>
        new(null, holder, term, text);

    private static string Say(FormattableString text) =>
        text.ToString(CultureInfo.InvariantCulture);
}
