using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Election;

/// <summary>
/// The position the primary last recorded in the Lease (annotation <c>mysql-agent.io/position</c>),
/// at each renewal while it takes writes: what a candidate's lag is counted against once the primary
/// is gone (Patroni's <c>maximum_lag_on_failover</c>, counted in transactions).
/// </summary>
/// <param name="Flavor"><c>mysql</c> or <c>mariadb</c>.</param>
/// <param name="Executed">MySQL <c>@@gtid_executed</c> or MariaDB <c>@@gtid_current_pos</c>, in the server's spelling.</param>
public sealed record RecordedPosition(string Flavor, string Executed)
{
    /// <summary>The position as progress; null when it cannot be read (the bound is then not applied).</summary>
    public GtidProgress? ToProgress() =>
        Flavor switch
        {
            "mariadb" when MariaDbGtidPosition.TryParse(Executed, out var current, out _) =>
                GtidProgress.MariaDb(current!, MariaDbGtidPosition.Empty),
            "mysql" when MysqlGtidSet.TryParse(Executed, out var executed, out _) =>
                GtidProgress.MySql(executed!, MysqlGtidSet.Empty),
            _ => null,
        };
}
