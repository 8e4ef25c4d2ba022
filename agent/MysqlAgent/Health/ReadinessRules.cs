using System.Globalization;
using MysqlAgent.Configuration;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Health;

/// <summary>
/// Decides readiness from what the agent knows, with no I/O, so every rule has a table test.
/// The example's readiness was <c>SELECT 1</c>: a replica with broken or hours-late replication stayed
/// in <c>mysql-read</c>. Here the first rule that fails gives the reason:
/// <list type="number">
/// <item>mysqld answers, and the agent can read its state;</item>
/// <item>primary (ordinal 0): <c>read_only</c> and <c>super_read_only</c> are off;</item>
/// <item>replica: the replication setup has not failed permanently;</item>
/// <item>replica: a replication source is configured;</item>
/// <item>replica: the IO and SQL threads run;</item>
/// <item>replica: no replication error is reported;</item>
/// <item>replica: the lag is known and at most <c>--max-lag-seconds</c>.</item>
/// </list>
/// Once a heartbeat row has reached the replica (and <c>--heartbeat-interval</c> is not 0), its
/// measured staleness replaces the last three rules: the SQL thread runs without error and the
/// staleness is at most <c>--max-lag-seconds</c>. An IO thread that is connecting (the source is
/// down, hung or unreachable) is then named in the reason but does not by itself make the pod
/// unready, so that reads survive the loss of the primary for as long as the data is fresh enough.
/// An IO thread stopped for good (by hand, or after a fatal error) still does.
/// </summary>
public static class ReadinessRules
{
    public static ReadinessVerdict Decide(
        NodeSnapshot node,
        ReplicationSetupSnapshot setup,
        AgentOptions options
    ) => Decide(node, setup, options, new RoleView(HealthRoles.IsPrimary(options), null));

    /// <summary>
    /// As above with the role from the election: <paramref name="role"/>'s reason (errant
    /// transactions) makes the pod unready whatever its server shows.
    /// </summary>
    public static ReadinessVerdict Decide(
        NodeSnapshot node,
        ReplicationSetupSnapshot setup,
        AgentOptions options,
        RoleView role
    )
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(options);

        if (!node.MysqldUp)
        {
            var why = string.IsNullOrEmpty(node.Error) ? "" : $" ({node.Error})";
            return ReadinessVerdict.No($"mysqld does not answer at {options.LocalMysql}{why}");
        }

        if (node.Error is not null)
        {
            return ReadinessVerdict.No(
                $"mysqld at {options.LocalMysql} answers but cannot be inspected: {node.Error}"
            );
        }

        if (role.NotReadyReason is { } blocked)
        {
            return ReadinessVerdict.No(blocked);
        }

        if (role.IsPrimary)
        {
            return DecidePrimary(node);
        }

        return
            node.Replica is not null
            && node.StalenessSeconds is { } staleness
            && options.HeartbeatInterval > TimeSpan.Zero
            && setup.State != ReplicationSetupState.FailedPermanently
            ? DecideByStaleness(node, node.Replica, staleness, options.MaxLag)
            : DecideReplica(node, setup, options.MaxLag);
    }

    private static ReadinessVerdict DecidePrimary(NodeSnapshot node)
    {
        if (node.ReadOnly == true)
        {
            return ReadinessVerdict.No("primary is read-only");
        }

        if (node.SuperReadOnly == true)
        {
            return ReadinessVerdict.No("primary is super-read-only");
        }

        return ReadinessVerdict.Yes("primary, writable");
    }

    private static ReadinessVerdict DecideReplica(
        NodeSnapshot node,
        ReplicationSetupSnapshot setup,
        TimeSpan maxLag
    )
    {
        // A permanent failure wins over whatever the server shows: the agent gave up on this pod,
        // and an operator has to look at it.
        if (setup.State == ReplicationSetupState.FailedPermanently)
        {
            return ReadinessVerdict.No($"replication setup failed: {setup.Reason}");
        }

        if (node.Replica is not { } replica)
        {
            return ReadinessVerdict.No(
                setup.State switch
                {
                    ReplicationSetupState.Pending =>
                        "replication not configured yet (setup pending)",
                    ReplicationSetupState.Running =>
                        "replication not configured yet (setup running)",
                    _ => "replication is not configured on this replica",
                }
            );
        }

        if (!replica.IoThreadRunning || !replica.SqlThreadRunning)
        {
            return ReadinessVerdict.No(StoppedThreads(replica));
        }

        if (replica.LastErrorNumber != 0)
        {
            return ReadinessVerdict.No(
                $"replication error {ErrorText(replica.LastErrorNumber, replica.LastError)}"
            );
        }

        var bound = (long)maxLag.TotalSeconds;
        if (replica.LagSeconds is not { } lag)
        {
            return ReadinessVerdict.No("lag unknown (Seconds_Behind_Source is NULL)");
        }

        if (lag > bound)
        {
            return ReadinessVerdict.No(Invariant($"lag {lag} s exceeds --max-lag-seconds {bound}"));
        }

        return ReadinessVerdict.Yes(Invariant($"replica, IO and SQL threads running, lag {lag} s"));
    }

    private static ReadinessVerdict DecideByStaleness(
        NodeSnapshot node,
        ReplicaSnapshot replica,
        double staleness,
        TimeSpan maxLag
    )
    {
        if (!replica.SqlThreadRunning || (!replica.IoThreadRunning && !replica.IoThreadConnecting))
        {
            return ReadinessVerdict.No(StoppedThreads(replica));
        }

        if (replica.LastSqlErrorNumber != 0)
        {
            return ReadinessVerdict.No(
                $"replication error {ErrorText(replica.LastSqlErrorNumber, replica.LastSqlError)}"
            );
        }

        var bound = (long)maxLag.TotalSeconds;
        var source = replica.IoThreadConnecting ? Unreachable(node, replica) : null;
        if (staleness > maxLag.TotalSeconds)
        {
            return ReadinessVerdict.No(
                Invariant($"stale {staleness:0.0} s exceeds --max-lag-seconds {bound}")
                    + (source is null ? "" : $"; {source}")
            );
        }

        return ReadinessVerdict.Yes(
            "replica, "
                + (source is null ? "" : source + ", ")
                + Invariant($"stale {staleness:0.0} s of {bound} s")
        );
    }

    // "source unreachable for 12 s (error 2003: Can't connect ...)"
    private static string Unreachable(NodeSnapshot node, ReplicaSnapshot replica)
    {
        var since = node.SourceUnreachableSeconds is { } seconds
            ? Invariant($" for {(long)seconds} s")
            : "";
        return $"source unreachable{since}{ErrorSuffix(replica.LastIoErrorNumber, replica.LastIoError)}";
    }

    // "SQL thread stopped (error 1062: Duplicate entry ...)", "IO thread connecting (error 2003: ...)",
    // or both, joined by "; ".
    private static string StoppedThreads(ReplicaSnapshot replica)
    {
        var parts = new List<string>(2);
        if (!replica.IoThreadRunning)
        {
            var state = replica.IoThreadConnecting ? "connecting" : "stopped";
            parts.Add(
                $"IO thread {state}{ErrorSuffix(replica.LastIoErrorNumber, replica.LastIoError)}"
            );
        }

        if (!replica.SqlThreadRunning)
        {
            parts.Add(
                $"SQL thread stopped{ErrorSuffix(replica.LastSqlErrorNumber, replica.LastSqlError)}"
            );
        }

        return string.Join("; ", parts);
    }

    private static string ErrorSuffix(int number, string message) =>
        number == 0 ? "" : $" (error {ErrorText(number, message)})";

    private static string ErrorText(int number, string message) =>
        string.IsNullOrWhiteSpace(message)
            ? number.ToString(CultureInfo.InvariantCulture)
            : Invariant($"{number}: {message}");

    private static string Invariant(FormattableString text) =>
        text.ToString(CultureInfo.InvariantCulture);
}
