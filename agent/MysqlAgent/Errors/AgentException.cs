namespace MysqlAgent.Errors;

/// <summary>
/// An expected failure: its message is one line that names the input and the fix, and the command
/// boundary logs it without a stack trace. Anything else is a bug and keeps its stack trace.
/// </summary>
public abstract class AgentException : Exception
{
    protected AgentException(string message)
        : base(message) { }

    protected AgentException(string message, Exception? innerException)
        : base(message, innerException) { }

    /// <summary>True when retrying the same operation later may succeed (a peer not up yet, a busy donor).</summary>
    public virtual bool IsTransient => false;
}
