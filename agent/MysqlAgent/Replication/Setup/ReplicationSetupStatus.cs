namespace MysqlAgent.Replication.Setup;

/// <summary>
/// The replication setup's state as the replication code reports it, read by readiness and
/// <c>/status</c>. A singleton; every method is safe to call from any thread.
/// </summary>
public sealed class ReplicationSetupStatus
{
    private readonly TimeProvider _time;
    private ReplicationSetupSnapshot _current;

    public ReplicationSetupStatus(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _current = new ReplicationSetupSnapshot(
            ReplicationSetupState.Pending,
            "",
            time.GetUtcNow()
        );
    }

    /// <summary>The latest state; snapshots are immutable, so a reader never sees half an update.</summary>
    public ReplicationSetupSnapshot Current => Volatile.Read(ref _current);

    public void MarkNotNeeded() => Set(ReplicationSetupState.NotNeeded, "");

    public void MarkPending() => Set(ReplicationSetupState.Pending, "");

    public void MarkRunning() => Set(ReplicationSetupState.Running, "");

    /// <param name="note">Optional, e.g. "already configured before this start".</param>
    public void MarkDone(string note = "") => Set(ReplicationSetupState.Done, note);

    public void MarkFailed(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Set(ReplicationSetupState.FailedPermanently, reason);
    }

    private void Set(ReplicationSetupState state, string reason) =>
        Volatile.Write(
            ref _current,
            new ReplicationSetupSnapshot(state, OneLine(reason), _time.GetUtcNow())
        );

    // Readiness bodies and log lines are one line each; a server error may span several.
    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
