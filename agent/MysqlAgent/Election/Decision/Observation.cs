namespace MysqlAgent.Election;

/// <summary>Everything a turn reads, once, before it decides.</summary>
/// <param name="Step">The elector's step of this turn.</param>
/// <param name="Role">The elector's role after the step.</param>
/// <param name="Lease">The latest Lease seen (after the step).</param>
/// <param name="Local">The local mysqld.</param>
/// <param name="Self">This pod's own candidate report.</param>
/// <param name="Peers">The reports of the peers that answered.</param>
/// <param name="PeerOrdinals">The ordinals of every peer, answered or not.</param>
/// <param name="SetupBusy">A fresh clone's first replication setup is pending or running (it is the setup service's).</param>
/// <param name="Now">A timestamp of the turn's clock (<see cref="TimeProvider.GetTimestamp"/>).</param>
/// <param name="TimestampFrequency">Ticks of <paramref name="Now"/> per second.</param>
public sealed record Observation(
    ElectionStep Step,
    ElectorRole Role,
    LeaseRecord? Lease,
    LocalServerState Local,
    CandidateStatus Self,
    IReadOnlyList<CandidateStatus> Peers,
    IReadOnlyList<int> PeerOrdinals,
    bool SetupBusy,
    long Now,
    long TimestampFrequency
);
