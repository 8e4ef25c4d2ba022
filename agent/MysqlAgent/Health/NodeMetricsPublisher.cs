using System.Globalization;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;

namespace MysqlAgent.Health;

/// <summary>Copies each <see cref="NodeSnapshot"/> and readiness verdict into the Prometheus gauges.</summary>
public sealed class NodeMetricsPublisher
{
    private readonly AgentMetrics _metrics;
    private readonly RoleProvider _role;
    private readonly string _configuredServerId;
    private readonly Lock _infoLock = new();
    private string[]? _infoLabels;

    public NodeMetricsPublisher(AgentMetrics metrics, AgentOptions options, RoleProvider role)
    {
        _metrics = metrics;
        _role = role;
        _configuredServerId = options.ServerId.ToString(CultureInfo.InvariantCulture);
    }

    public void Publish(NodeSnapshot node, ReadinessVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(verdict);
        _metrics.MysqldUp.Set(node.MysqldUp ? 1 : 0);
        _metrics.Ready.Set(verdict.Ready ? 1 : 0);

        var replica = node.Replica;
        // Unknown is NaN, not 0: a replica that cannot be read must not look perfectly in sync.
        _metrics.ReplicaLag.Set(replica?.LagSeconds is { } lag ? lag : double.NaN);
        _metrics.ReplicaIoThreadRunning.Set(replica?.IoThreadRunning == true ? 1 : 0);
        _metrics.ReplicaSqlThreadRunning.Set(replica?.SqlThreadRunning == true ? 1 : 0);
        _metrics.ReplicaLastErrorNumber.Set(replica?.LastErrorNumber ?? 0);
        _metrics.ReplicaStaleness.Set(node.StalenessSeconds ?? double.NaN);

        if (node.Version is not null && node.Flavor is not null)
        {
            SetInfo(
                node.Version,
                node.ServerId?.ToString(CultureInfo.InvariantCulture) ?? _configuredServerId,
                node.Flavor
            );
        }
    }

    // The info series keeps the last known facts while mysqld is down; when they change (an
    // upgrade), the old series is removed so that exactly one is 1.
    private void SetInfo(string version, string serverId, string flavor)
    {
        string[] labels = [version, _role.Role, serverId, flavor];
        lock (_infoLock)
        {
            if (_infoLabels is not null && _infoLabels.SequenceEqual(labels))
            {
                return;
            }

            if (_infoLabels is not null)
            {
                _metrics.Info.RemoveLabelled(_infoLabels);
            }

            _metrics.Info.WithLabels(labels).Set(1);
            _infoLabels = labels;
        }
    }
}
