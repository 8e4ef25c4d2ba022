namespace MysqlAgent.Identity;

/// <summary>
/// An expected failure while working out who this pod is: the message is one line that names the
/// input and the fix, so a command boundary can print it without a stack trace.
/// </summary>
public abstract class IdentityException : Exception
{
    protected IdentityException(string message)
        : base(message) { }
}
