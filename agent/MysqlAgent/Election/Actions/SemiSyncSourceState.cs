namespace MysqlAgent.Election;

/// <summary>The primary's side of semi-synchronous replication, as <see cref="SemiSyncSource"/> found or left it.</summary>
public enum SemiSyncSourceState
{
    /// <summary>On: each commit waits for a replica's acknowledgement.</summary>
    On,

    /// <summary>Off, because no replica that would acknowledge is connected yet: commits do not wait.</summary>
    WaitingForReplica,

    /// <summary>The server has no semi-sync (MySQL without the plugins loaded): commits never wait.</summary>
    Unavailable,
}
