namespace MysqlAgent.TestSupport.Failover;

/// <summary>What one mysql-local command printed and returned.</summary>
public sealed record CommandOutput(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() =>
        $"exit {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
