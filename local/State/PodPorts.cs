using System.Globalization;

namespace MysqlLocal.State;

/// <summary>
/// A pod's ports on 127.0.0.1: pod N of base B has mysqld on B+10N+6, backups on B+10N+7 and the
/// agent's HTTP on B+10N+8, so that with the default base 23300 mysql-0 is 23306/23307/23308.
/// The set's Services: <c>mysql-primary</c> on B+5 and <c>mysql-read</c> on B+3; the Prometheus of <c>monitor</c> is on B+4.
/// </summary>
public sealed record PodPorts(int Mysql, int Backup, int Http)
{
    public const int DefaultBase = 23300;
    public const int MaxOrdinals = 64;

    /// <summary>The ports of the pods' names in a cluster, which --connect-to maps to these.</summary>
    public const int ClusterMysqlPort = 3306;
    public const int ClusterBackupPort = 3307;
    public const int ClusterHttpPort = 8080;

    public static PodPorts For(int basePort, int ordinal) =>
        new(
            basePort + (10 * ordinal) + 6,
            basePort + (10 * ordinal) + 7,
            basePort + (10 * ordinal) + 8
        );

    /// <summary>The kubelet's <c>mysql-primary</c> port, forwarding to the Lease holder's mysqld (with a fixed primary, to mysql-0's).</summary>
    public static int PrimaryPort(int basePort) => basePort + 5;

    /// <summary>The kubelet's <c>mysql-read</c> port, spreading new connections over the ready pods.</summary>
    public static int ReadPort(int basePort) => basePort + 3;

    /// <summary>With <c>monitor</c>: the set's Prometheus (its UI and API).</summary>
    public static int MonitorPort(int basePort) => basePort + 4;

    public static bool IsValidBase(int basePort) =>
        basePort >= 1024 && basePort + (10 * MaxOrdinals) + 8 <= 65535;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"mysql {Mysql}, backup {Backup}, http {Http}");
}
