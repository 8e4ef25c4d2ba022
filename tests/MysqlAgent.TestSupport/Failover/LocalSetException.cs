namespace MysqlAgent.TestSupport.Failover;

/// <summary>A mysql-local command of a <see cref="LocalSet"/> failed: the message names the command, its exit code and its output.</summary>
public sealed class LocalSetException : Exception
{
    public LocalSetException(string message)
        : base(message) { }

    public LocalSetException() { }

    public LocalSetException(string message, Exception inner)
        : base(message, inner) { }
}
