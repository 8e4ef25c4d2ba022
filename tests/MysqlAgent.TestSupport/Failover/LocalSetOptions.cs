namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// What a <see cref="LocalSet"/> runs: the built programs (mysql-local, mysql-init, mysql-agent),
/// the ConfigMap folder, and where each command's output and the set's logs are written (a test's
/// output, a bench run's log file).
/// </summary>
public sealed record LocalSetOptions(
    string LocalBinary,
    string InitBinary,
    string AgentBinary,
    string ConfigMapDir,
    Action<string> Log
);
