using MysqlAgent.Configuration;
using MysqlAgent.Identity;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>What the decision needs of the options, built once from them: who this pod is, where a primary's mysqld is, the bounds and what is switched on.</summary>
/// <param name="Pod">This pod's identity.</param>
/// <param name="Service">The governing Service, for the peers' stable names.</param>
/// <param name="PrimaryPort">The port a primary's mysqld listens on, by its stable name.</param>
/// <param name="ConnectTo"><c>--connect-to</c>: where a stable name is really reached.</param>
/// <param name="MaxLagOnFailover"><c>--max-lag-on-failover</c>.</param>
/// <param name="PrimaryStartTimeout">How long a holder's mysqld may be down before it releases the Lease.</param>
/// <param name="SemiSync">Whether the primary turns semi-synchronous replication on.</param>
/// <param name="RecloneErrant">Whether an errant pod asks for its own re-clone (a pod deleter is wired).</param>
/// <param name="LabelPods">Whether pods carry the role label (the Kubernetes store).</param>
/// <param name="Timings">The election's timings.</param>
public sealed record ElectionPolicy(
    PodIdentity Pod,
    string Service,
    int PrimaryPort,
    ConnectToMap ConnectTo,
    ulong? MaxLagOnFailover,
    TimeSpan PrimaryStartTimeout,
    bool SemiSync,
    bool RecloneErrant,
    bool LabelPods,
    ElectionTimings Timings
)
{
    public static ElectionPolicy From(AgentOptions options, bool recloneErrant, bool labelPods)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ElectionPolicy(
            options.Pod,
            options.Service,
            options.Primary.Port,
            options.ConnectTo,
            options.MaxLagOnFailover,
            options.PrimaryStartTimeout,
            options.SemiSync,
            recloneErrant,
            labelPods,
            options.ElectionTimings
        );
    }

    public string PodName => Pod.PodName;

    /// <summary>The stable name of the mysqld of the pod with <paramref name="ordinal"/>, as a primary.</summary>
    public Endpoint PrimaryEndpoint(int ordinal) =>
        new(Pod.PeerHost(ordinal, Service), PrimaryPort);

    /// <summary>Whether a configured replication source is the mysqld of the pod with <paramref name="ordinal"/>.</summary>
    public bool IsPrimaryOf(Endpoint source, int ordinal) =>
        source.SameAs(ConnectTo.Resolve(PrimaryEndpoint(ordinal)));
}
