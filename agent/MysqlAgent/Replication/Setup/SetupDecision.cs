namespace MysqlAgent.Replication.Setup;

/// <summary>
/// The at-most-once rule, a pure function of the server's state and the marker: a setup is run only
/// when neither says it happened, and a configured source is never changed again.
/// </summary>
public static class SetupDecision
{
    public static SetupAction Decide(
        bool markerExists,
        bool sourceConfigured,
        bool threadsRunning
    ) =>
        (markerExists, sourceConfigured, threadsRunning) switch
        {
            (true, true, _) => SetupAction.AlreadyDone,
            (true, false, _) => SetupAction.MarkerWithoutSource,
            (false, true, true) => SetupAction.RecordExisting,
            (false, true, false) => SetupAction.StartConfigured,
            (false, false, _) => SetupAction.ConfigureAndStart,
        };
}
