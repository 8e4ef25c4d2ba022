namespace MysqlLocal.State;

/// <summary>The folders of one pod: its data volume, its emptyDirs and its container logs.</summary>
public sealed record PodPaths(string Root, int Ordinal)
{
    public string Name => SetPaths.PodName(Ordinal);

    /// <summary>The pod's persistent volume: kept when the pod is deleted or the set scaled down.</summary>
    public string DataDir => Path.Combine(Root, "data");

    /// <summary>The emptyDir that mysql-init fills and mysqld reads (<c>/etc/mysql/conf.d</c>).</summary>
    public string ConfDir => Path.Combine(Root, "conf.d");

    public string TmpDir => Path.Combine(Root, "tmp");

    public string LogsDir => Path.Combine(Root, "logs");

    public string MysqldConfig => Path.Combine(Root, "my.cnf");

    public string Socket => Path.Combine(Root, "mysqld.sock");

    public string PidFile => Path.Combine(Root, "mysqld.pid");

    /// <summary>What the kubelet last observed of this pod, for <c>status</c>.</summary>
    public string RecordFile => Path.Combine(Root, "pod.json");

    /// <summary>
    /// With failover (the default; not <c>up --fixed-primary</c>): this pod's way to the shared Lease folder, a symbolic link the
    /// agent's <c>--lease-store file:</c> names. <c>isolate</c> points it at <see cref="CutOff"/>.
    /// </summary>
    public string LeaseLink => Path.Combine(Root, "lease");

    /// <summary>A link to itself: a path through it never resolves, so every Lease call fails (ELOOP).</summary>
    public string CutOff => Path.Combine(Root, "lease-cut-off");

    /// <summary>Written by <c>freeze</c> (the stopped process ids), removed by <c>thaw</c>.</summary>
    public string FrozenFile => Path.Combine(Root, "frozen");

    public string Log(string container) => Path.Combine(LogsDir, container + ".log");
}
