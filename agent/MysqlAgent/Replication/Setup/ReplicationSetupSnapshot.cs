namespace MysqlAgent.Replication.Setup;

/// <summary>One consistent reading of <see cref="ReplicationSetupStatus"/>.</summary>
/// <param name="Reason">One line: why it failed, or a note on how it got done; empty when there is nothing to say.</param>
/// <param name="Since">When the state was entered.</param>
public sealed record ReplicationSetupSnapshot(
    ReplicationSetupState State,
    string Reason,
    DateTimeOffset Since
)
{
    /// <summary>The state as <c>/status</c> spells it: <c>not_needed</c>, <c>pending</c>, <c>running</c>, <c>done</c>, <c>failed</c>.</summary>
    public string StateName =>
        State switch
        {
            ReplicationSetupState.NotNeeded => "not_needed",
            ReplicationSetupState.Pending => "pending",
            ReplicationSetupState.Running => "running",
            ReplicationSetupState.Done => "done",
            ReplicationSetupState.FailedPermanently => "failed",
            _ => throw new ArgumentOutOfRangeException(nameof(State), State, null),
        };
}
