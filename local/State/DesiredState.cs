namespace MysqlLocal.State;

/// <summary>
/// <c>set.json</c>: the StatefulSet's spec as the commands write it and the kubelet reads it.
/// A pod's generation goes up when the pod is deleted: the kubelet then recreates it, init
/// containers first, on the same volume.
/// </summary>
public sealed record DesiredState
{
    public required int Replicas { get; init; }

    /// <summary>
    /// This set's identity, given to every agent (<c>--set-id</c>): the kubelet's probe and
    /// <c>up</c>'s read-back check take a pod's answer only when it names this set. Made once by
    /// <c>up</c>; empty only in a set.json from before it existed (then <c>up</c> adds one).
    /// </summary>
    public string SetId { get; init; } = "";
    public required int BasePort { get; init; }
    public required string InitBinary { get; init; }
    public required string AgentBinary { get; init; }

    /// <summary>The ConfigMap's folder: primary.cnf and replica.cnf (manifests/overlays/mariadb).</summary>
    public required string ConfigMapDir { get; init; }
    public required string MysqldBinary { get; init; }
    public required string InstallDbBinary { get; init; }

    /// <summary>Extra arguments for every <c>mysql-agent</c> container (tests shorten intervals with it).</summary>
    public IReadOnlyList<string> AgentArguments { get; init; } = [];
    public IReadOnlyDictionary<string, int> PodGenerations { get; init; } =
        new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>TLS on (<c>up --tls</c>): the backup port serves HTTPS and replication runs over SSL, with the files in <see cref="SetPaths.TlsDir"/>.</summary>
    public bool Tls { get; init; }

    /// <summary>
    /// Automatic failover on (failover (the default; not <c>up --fixed-primary</c>)): every agent elects the primary through the
    /// file Lease in <see cref="SetPaths.LeaseDir"/>, every mysqld boots read-only, and the kubelet
    /// serves the <c>mysql-primary</c> port. A set made with it keeps it.
    /// </summary>
    public bool Failover { get; init; }

    /// <summary>
    /// Where backups go and the primary's agent archives its binlogs (<c>up --backup-target</c>):
    /// <c>file:&lt;state&gt;/backups</c> for a new set, empty for none (<c>off</c>, or a set.json
    /// from before backups).
    /// </summary>
    public string BackupTarget { get; init; } = "";

    /// <summary>
    /// <c>up --restore-from</c>: mysql-0's clone container restores into its empty volume with
    /// these arguments (<c>--from=</c>, and <c>--to-time=</c>, <c>--to-gtid=</c> or <c>--latest</c>).
    /// Emptied once the set is ready, so a later empty mysql-0 clones as usual.
    /// </summary>
    public IReadOnlyList<string> RestoreArguments { get; init; } = [];

    /// <summary>Set by <c>down</c>: the kubelet stops every pod and exits.</summary>
    public bool Stopping { get; init; }

    public int GenerationOf(string podName) => PodGenerations.GetValueOrDefault(podName);

    /// <summary>The state with <paramref name="podName"/> deleted: its generation one higher, so the kubelet creates it again.</summary>
    public DesiredState WithPodDeleted(string podName) =>
        this with
        {
            PodGenerations = new Dictionary<string, int>(PodGenerations, StringComparer.Ordinal)
            {
                [podName] = GenerationOf(podName) + 1,
            },
        };
}
