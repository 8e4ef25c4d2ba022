using System.Globalization;

namespace MysqlLocal.State;

/// <summary>
/// Where a local replica set keeps everything, under one state folder the user chooses:
/// <code>
/// state/set.json                 what the user asked for (replicas, ports, binaries, pod generations)
/// state/kubelet.pid, kubelet.log the supervisor
/// state/secrets/                 the Secret: root, replication and backup passwords, backup token (0600)
/// state/tls/                     with up --tls: ca.crt, ca.key, tls.crt, tls.key
/// state/pods/mysql-N/            one pod: data/ (its volume), conf.d/, tmp/, logs/&lt;container&gt;.log, pod.json
/// state/lease/                   with failover (not up --fixed-primary): the Lease (lease.json, lease.lock), which each pod's agent
///                                reaches through its own link pods/mysql-N/lease (isolate points it at nothing)
/// state/backups/                the default backup target (up --backup-target): backups/ and binlogs/, as in a bucket
/// state/prometheus/              with monitor: prometheus.yml, targets.json, prometheus.pid, prometheus.log, data/
/// </code>
/// </summary>
public sealed class SetPaths
{
    public const string StatefulSetName = "mysql";
    public const string ServiceName = "mysql";

    public SetPaths(string stateDir) => StateDir = Path.GetFullPath(stateDir);

    public string StateDir { get; }

    public string DesiredStateFile => Path.Combine(StateDir, "set.json");

    public string KubeletPidFile => Path.Combine(StateDir, "kubelet.pid");

    public string KubeletLog => Path.Combine(StateDir, "kubelet.log");

    public string SecretsDir => Path.Combine(StateDir, "secrets");

    public string PodsDir => Path.Combine(StateDir, "pods");

    /// <summary>The default backup target of a new set: a folder, as a PVC would be.</summary>
    public string BackupsDir => Path.Combine(StateDir, "backups");

    /// <summary>The TLS Secret of <c>up --tls</c>, in cert-manager's layout: tls.crt, tls.key, ca.crt (and the CA's key).</summary>
    public string TlsDir => Path.Combine(StateDir, "tls");

    public string TlsFile(string name) => Path.Combine(TlsDir, name);

    /// <summary>The Lease store of failover (the default; not <c>up --fixed-primary</c>), shared by every pod's agent (the API server of a cluster).</summary>
    public string LeaseDir => Path.Combine(StateDir, "lease");

    /// <summary>The agents' FileLeaseStore document (MysqlAgent.Election.FileLeaseStore.FileName).</summary>
    public string LeaseFile => Path.Combine(LeaseDir, "lease.json");

    /// <summary>The set's Prometheus of <c>monitor</c>: its configuration, scrape targets, process and data.</summary>
    public string PrometheusDir => Path.Combine(StateDir, "prometheus");

    public string PrometheusConfig => Path.Combine(PrometheusDir, "prometheus.yml");

    public string PrometheusTargets => Path.Combine(PrometheusDir, "targets.json");

    public string PrometheusPidFile => Path.Combine(PrometheusDir, "prometheus.pid");

    public string PrometheusLog => Path.Combine(PrometheusDir, "prometheus.log");

    public string PrometheusData => Path.Combine(PrometheusDir, "data");

    public static string PodName(int ordinal) =>
        string.Create(CultureInfo.InvariantCulture, $"{StatefulSetName}-{ordinal}");

    public PodPaths Pod(int ordinal) => new(Path.Combine(PodsDir, PodName(ordinal)), ordinal);

    public string Secret(string key) => Path.Combine(SecretsDir, key);
}
