using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;

namespace MysqlAgent.Election;

/// <summary>
/// What <see cref="ElectionService"/> turns with, built once from the options: the elector and its
/// deadline-bounded step, the readers of the local server and the peers, the reporter and the
/// actor with its procedures. Kept apart so that the service is only its loop.
/// </summary>
public sealed class ElectionParts : IDisposable
{
    private readonly HttpClient _http;

    public ElectionParts(
        AgentOptions options,
        LocalServer server,
        RoleProvider role,
        AgentMetrics metrics,
        ILeaseStore store,
        TimeProvider time,
        ILogger<ElectionService> logger,
        PodRoleLabel? label = null,
        IPodDeleter? deleter = null
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        var timings = options.ElectionTimings;
        Policy = ElectionPolicy.From(
            options,
            recloneErrant: deleter is not null,
            labelPods: label is not null
        );
        Elector = new LeaderElector(options.Pod.PodName, timings, store, time)
        {
            MaxLagOnFailover = options.MaxLagOnFailover,
        };
        Step = new DeadlineStep(Elector, time);
        _http = new HttpClient(
            new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }
        )
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // A peer or the local server that does not answer within a retry period (2 s at most)
        // counts as silent for this turn.
        var readTimeout =
            timings.RetryPeriod < TimeSpan.FromSeconds(2)
                ? timings.RetryPeriod
                : TimeSpan.FromSeconds(2);
        Peers = new PeerCandidates(options, _http, time, readTimeout);
        Reader = new LocalServerReader(server, readTimeout, time);
        Reporter = new ElectionReporter(Elector, Policy, role, metrics, logger);
        var fence = new SelfFence(server, options, metrics, time, logger);
        Actor = new ElectionActor(
            options,
            Policy,
            server,
            Elector,
            role,
            Reporter,
            fence,
            new Promotion(server, options, time, logger),
            new Rejoin(server, options, logger),
            new LastPrimaryFence(options, metrics, time, logger),
            new PlannedSwitchover(
                Elector,
                fence,
                Reader,
                Peers,
                Reporter,
                Policy,
                metrics,
                time,
                logger
            ),
            label,
            deleter,
            time,
            logger
        );
    }

    public ElectionPolicy Policy { get; }

    public LeaderElector Elector { get; }

    public DeadlineStep Step { get; }

    public PeerCandidates Peers { get; }

    public LocalServerReader Reader { get; }

    public ElectionReporter Reporter { get; }

    public ElectionActor Actor { get; }

    public void Dispose() => _http.Dispose();
}
