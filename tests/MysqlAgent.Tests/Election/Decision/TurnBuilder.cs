using MysqlAgent.Configuration;
using MysqlAgent.Election;
using MysqlAgent.Identity;
using MysqlAgent.Replication.Dialects;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Tests.Election.Decision;

/// <summary>
/// Builds what a turn observes, as moco's status_test.go builds a cluster status: this pod is
/// mysql-1 of mysql-0..2, a follower of mysql-0's term 1 with everything up, unless a call says
/// otherwise. Timestamps are milliseconds.
/// </summary>
internal sealed class TurnBuilder
{
    public const long Frequency = 1000;

    private ElectorRole _role = ElectorRole.Follower;
    private ElectionEvent _event = ElectionEvent.Following;
    private LeaseAcquisition? _acquisition;
    private string? _detail;
    private LeaseRecord? _lease = Lease("mysql-0", 1, Fork(1, "mysql-0"));
    private LocalServerState _local = Replica(0);
    private CandidateStatus _self = Pods.Status(1);
    private readonly List<CandidateStatus> _peers = [Pods.Status(0), Pods.Status(2)];
    private bool _setupBusy;
    private long _now = 100_000;

    public static ElectionPolicy Policy(bool reclone = false, bool labels = false) =>
        new(
            PodIdentity.Parse("mysql-1"),
            "mysql",
            3306,
            ConnectToMap.Empty,
            1000,
            TimeSpan.FromSeconds(30),
            SemiSync: true,
            RecloneErrant: reclone,
            LabelPods: labels,
            ElectionTimings.Default
        );

    public static Endpoint PrimaryOf(int ordinal) => new($"mysql-{ordinal}.mysql", 3306);

    public static LeaseRecord Lease(string holder, long term, params TermStart[] history) =>
        new(holder, term, DateTimeOffset.UnixEpoch, history, null, false);

    public static TermStart Fork(long term, string holder) =>
        new(term, holder, $"0-100-{term * 10}");

    /// <summary>A read-only server replicating from the mysqld of <paramref name="sourceOrdinal"/> (none when null).</summary>
    public static LocalServerState Replica(int? sourceOrdinal) =>
        new(
            true,
            null,
            ServerVersionInfo.Parse("10.11.6-MariaDB"),
            false,
            "0-100-10",
            "0-100-10",
            sourceOrdinal is { } o ? PrimaryOf(o) : null,
            sourceOrdinal is not null
        );

    public TurnBuilder Leading(
        ElectionEvent happened = ElectionEvent.Renewed,
        LeaseAcquisition? how = null,
        string? detail = null
    )
    {
        _role = ElectorRole.Leader;
        _event = happened;
        _acquisition = how;
        _detail = detail;
        return this;
    }

    public TurnBuilder Following(ElectionEvent happened = ElectionEvent.Following)
    {
        _role = ElectorRole.Follower;
        _event = happened;
        return this;
    }

    public TurnBuilder WithLease(LeaseRecord? lease)
    {
        _lease = lease;
        return this;
    }

    public TurnBuilder WithLocal(LocalServerState local)
    {
        _local = local;
        return this;
    }

    public TurnBuilder Writable()
    {
        _local = _local with { Writable = true, Source = null, IoThreadRunning = false };
        return this;
    }

    public TurnBuilder MysqldDown()
    {
        _local = LocalServerState.Down("Connection refused");
        _self = _self with { MysqldUp = false, Progress = null };
        return this;
    }

    public TurnBuilder Self(ulong sequence, long followedTerm = 1)
    {
        _self = Pods.Status(1, sequence, followedTerm);
        return this;
    }

    public TurnBuilder Peer(CandidateStatus peer)
    {
        _peers.RemoveAll(p => p.Ordinal == peer.Ordinal);
        _peers.Add(peer);
        return this;
    }

    public TurnBuilder SetupBusy()
    {
        _setupBusy = true;
        return this;
    }

    public TurnBuilder AtSecond(double second)
    {
        _now = (long)(second * Frequency);
        return this;
    }

    public Observation Build() =>
        new(
            new ElectionStep(_role, _event, _lease, false, _detail) { Acquisition = _acquisition },
            _role,
            _lease,
            _local,
            _self,
            _peers.OrderBy(p => p.Ordinal).ToList(),
            [0, 2],
            _setupBusy,
            _now,
            Frequency
        );

    /// <summary>The memory as a turn that already read this local server would have it.</summary>
    public ElectionMemory Memory(ElectionMemory? from = null) =>
        (from ?? ElectionMemory.Initial) with
        {
            Local = _local,
        };
}
