namespace MysqlAgent.Commands;

/// <summary>mysql-agent's exit codes, listed by --help.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A bug: the stack trace is in the log.</summary>
    public const int Crash = 1;

    /// <summary>A bad command, option or option value.</summary>
    public const int Usage = 2;

    /// <summary>An expected failure (donor unreachable past the deadline, bad info file, ...), named in the log.</summary>
    public const int Failure = 3;
}
