namespace MysqlAgent.Replication.Setup;

/// <summary>Where the one-time replication setup of this pod stands.</summary>
public enum ReplicationSetupState
{
    /// <summary>The primary: nothing to set up.</summary>
    NotNeeded,

    /// <summary>Not started yet (waiting for mysqld, or for the replication code to run).</summary>
    Pending,

    /// <summary>Being attempted, possibly retrying after transient errors.</summary>
    Running,

    /// <summary>Replication was configured and started (now, or by an earlier run).</summary>
    Done,

    /// <summary>Gave up: retrying cannot help; the reason says what an operator must fix.</summary>
    FailedPermanently,
}
