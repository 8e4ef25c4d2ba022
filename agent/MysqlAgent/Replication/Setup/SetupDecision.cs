namespace MysqlAgent.Replication.Setup;

/// <summary>
/// The at-most-once rule, a pure function of the markers and the server's state: a setup is run only
/// when nothing says ours happened, and a source we configured is never changed again.
/// </summary>
public static class SetupDecision
{
    public static SetupAction Decide(
        bool doneMarker,
        bool startedMarker,
        bool sourceConfigured,
        bool threadsRunning,
        bool cloneInfoPresent
    ) =>
        (doneMarker, startedMarker, sourceConfigured, threadsRunning, cloneInfoPresent) switch
        {
            (true, _, true, _, _) => SetupAction.AlreadyDone,
            (true, _, false, _, _) => SetupAction.MarkerWithoutSource,
            // A source without our started marker, beside a clone's info files, came with the
            // clone (MySQL keeps a replica's settings in tables): reset it and set up from the files.
            (false, false, true, _, true) => SetupAction.ConfigureAndStart,
            // A source on a pod that was not cloned by us was configured by hand: adopt it.
            (false, _, true, true, _) => SetupAction.RecordExisting,
            (false, _, true, false, _) => SetupAction.StartConfigured,
            (false, _, false, _, _) => SetupAction.ConfigureAndStart,
        };
}
