namespace MysqlAgent.Replication.Setup;

/// <summary>What a replica's agent does at startup, decided by <see cref="SetupDecision"/>.</summary>
public enum SetupAction
{
    /// <summary>No marker and no source: the setup never happened. Run it.</summary>
    ConfigureAndStart,

    /// <summary>No marker, a source configured but threads stopped: a crash between CHANGE and START. Start it and record.</summary>
    StartConfigured,

    /// <summary>No marker, a source configured and running: a crash before the marker. Record it only.</summary>
    RecordExisting,

    /// <summary>Marker and source: set up before. Touch nothing.</summary>
    AlreadyDone,

    /// <summary>Marker but no source: someone reset replication. Never redo it blindly (that would rewind); report.</summary>
    MarkerWithoutSource,
}
