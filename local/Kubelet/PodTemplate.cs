using System.Globalization;
using MysqlLocal.State;

namespace MysqlLocal.Kubelet;

/// <summary>
/// The StatefulSet's pod template for one ordinal, on one machine: the same programs and options
/// as manifests/base/statefulset.yaml, with two local differences. Every pod has its own ports on
/// 127.0.0.1 instead of its own IP, and the peers' stable names (<c>mysql-0.mysql:3306</c>…) are
/// mapped to those ports with the programs' own <c>--connect-to</c>, never through DNS or /etc/hosts.
/// </summary>
public sealed class PodTemplate(SetPaths set, DesiredState desired, int ordinal)
{
    public PodPaths Pod { get; } = set.Pod(ordinal);

    public PodPorts Ports { get; } = PodPorts.For(desired.BasePort, ordinal);

    private IReadOnlyDictionary<string, string?> Environment =>
        new Dictionary<string, string?>(StringComparer.Ordinal) { ["HOSTNAME"] = Pod.Name };

    /// <summary>Init container <c>init</c>: mysql-init writes server-id.cnf and the role's config into conf.d.</summary>
    public ContainerSpec Init() =>
        new(
            "init",
            desired.InitBinary,
            [
                "--config-map-dir=" + desired.ConfigMapDir,
                "--conf-dir=" + Pod.ConfDir,
                "--service=" + SetPaths.ServiceName,
            ],
            Environment
        );

    /// <summary>Init container <c>clone</c>: mysql-agent clone fills an empty replica volume from a peer.</summary>
    public ContainerSpec Clone() =>
        new(
            "clone",
            desired.AgentBinary,
            [
                "clone",
                "--service=" + SetPaths.ServiceName,
                "--data-dir=" + Pod.DataDir,
                "--backup-token-file=" + set.Secret(SecretFiles.BackupToken),
                .. SetId(),
                .. ConnectTo(),
                .. TlsArguments(),
                .. (ordinal == 0 ? desired.RestoreArguments : []),
                .. desired.AgentArguments,
            ],
            Environment
        );

    /// <summary>Container <c>mysql</c>: mariadbd (or mysqld) on this pod's config.</summary>
    public ContainerSpec Mysql(MysqlEntrypoint entrypoint) =>
        new("mysql", desired.MysqldBinary, [], Environment)
        {
            BeforeStart = entrypoint.PrepareAsync,
            ArgumentsAtStart = () =>
                [.. entrypoint.ServerArguments(), .. ServerTlsArguments(), .. ReadOnlyAtBoot()],
        };

    /// <summary>Container <c>agent</c>: mysql-agent serve.</summary>
    public ContainerSpec Agent() =>
        new(
            "agent",
            desired.AgentBinary,
            [
                "serve",
                "--service=" + SetPaths.ServiceName,
                "--data-dir=" + Pod.DataDir,
                "--admin-password-file=" + set.Secret(SecretFiles.RootPassword),
                "--replication-password-file=" + set.Secret(SecretFiles.ReplicationPassword),
                "--backup-password-file=" + set.Secret(SecretFiles.BackupPassword),
                "--backup-token-file=" + set.Secret(SecretFiles.BackupToken),
                "--mysql-host=127.0.0.1",
                "--mysql-port=" + Number(Ports.Mysql),
                "--backup-port=" + Number(Ports.Backup),
                "--http-port=" + Number(Ports.Http),
                "--bind-address=127.0.0.1",
                .. SetId(),
                .. ConnectTo(),
                .. TlsArguments(),
                .. LeaseStore(),
                .. BackupTarget(),
                .. desired.AgentArguments,
            ],
            Environment
        );

    /// <summary>
    /// <c>mysql-agent backup</c> as an operator runs it in this pod's agent container
    /// (<c>kubectl exec</c>): the pod's datadir, server and secrets, the set's backup target.
    /// </summary>
    public ContainerSpec Backup() =>
        new(
            "agent",
            desired.AgentBinary,
            [
                "backup",
                "--service=" + SetPaths.ServiceName,
                "--data-dir=" + Pod.DataDir,
                "--admin-password-file=" + set.Secret(SecretFiles.RootPassword),
                "--backup-password-file=" + set.Secret(SecretFiles.BackupPassword),
                "--mysql-host=127.0.0.1",
                "--mysql-port=" + Number(Ports.Mysql),
                .. BackupTarget(),
                .. desired.AgentArguments,
            ],
            Environment
        );

    /// <summary>With a backup target (a new set's default: the set's backups/ folder): the primary's agent archives its binlogs there.</summary>
    private IEnumerable<string> BackupTarget() =>
        desired.BackupTarget.Length > 0 ? ["--target=" + desired.BackupTarget] : [];

    /// <summary>
    /// With failover (the default; not <c>up --fixed-primary</c>): the agents elect the primary through the file Lease, each through
    /// its own link to the shared folder (<c>isolate</c> cuts one).
    /// </summary>
    private IEnumerable<string> LeaseStore() =>
        desired.Failover ? ["--lease-store=file:" + Pod.LeaseLink] : [];

    /// <summary>
    /// With failover (the default; not <c>up --fixed-primary</c>) every mysqld boots read-only, the primary's too: only the agent
    /// holding the Lease makes its server writable. The command line wins over conf.d, where
    /// primary.cnf (ordinal 0) sets no read_only. Every server also acknowledges as a replica
    /// (semi-sync), so that the primary's agent can make each commit wait for one; the manifests'
    /// failover.cnf sets the same.
    /// </summary>
    private IEnumerable<string> ReadOnlyAtBoot() =>
        desired.Failover ? ["--read-only", "--rpl-semi-sync-slave-enabled=ON"] : [];

    private IEnumerable<string> SetId() =>
        desired.SetId.Length > 0 ? ["--set-id=" + desired.SetId] : [];

    /// <summary>With <c>up --tls</c>: the agent's and the clone's TLS files, as the manifests' TLS component gives them.</summary>
    private IEnumerable<string> TlsArguments() =>
        desired.Tls
            ?
            [
                "--tls-cert-file=" + set.TlsFile(LocalTls.CertFile),
                "--tls-key-file=" + set.TlsFile(LocalTls.KeyFile),
                "--tls-ca-file=" + set.TlsFile(LocalTls.CaFile),
            ]
            : [];

    /// <summary>With <c>up --tls</c>: mysqld serves TLS from the same files.</summary>
    private IEnumerable<string> ServerTlsArguments() =>
        desired.Tls
            ?
            [
                "--ssl-cert=" + set.TlsFile(LocalTls.CertFile),
                "--ssl-key=" + set.TlsFile(LocalTls.KeyFile),
                "--ssl-ca=" + set.TlsFile(LocalTls.CaFile),
            ]
            : [];

    /// <summary>
    /// Every peer up to this pod, for mysqld, backups and /status: the names a cluster's DNS would
    /// give. With failover every pod of the set, above this one too: any of them may become the
    /// primary, and the agents find their peers through these names.
    /// </summary>
    private IEnumerable<string> ConnectTo()
    {
        var last = desired.Failover ? Math.Max(ordinal, desired.Replicas - 1) : ordinal;
        for (var peer = 0; peer <= last; peer++)
        {
            var name = SetPaths.PodName(peer) + "." + SetPaths.ServiceName;
            var ports = PodPorts.For(desired.BasePort, peer);
            yield return Map(name, PodPorts.ClusterMysqlPort, ports.Mysql);
            yield return Map(name, PodPorts.ClusterBackupPort, ports.Backup);
            yield return Map(name, PodPorts.ClusterHttpPort, ports.Http);
            if (desired.Failover && peer != ordinal)
            {
                // The election reads a peer's /status on this agent's own --http-port (in a cluster
                // every pod has 8080); here each pod has its own, so map that one to the peer's too.
                yield return Map(name, Ports.Http, ports.Http);
            }
        }
    }

    private static string Map(string name, int clusterPort, int localPort) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"--connect-to={name}:{clusterPort}:127.0.0.1:{localPort}"
        );

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
