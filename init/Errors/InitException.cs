namespace MysqlInit.Errors;

/// <summary>
/// An expected failure: Program prints its one-line message, which names the input and the fix,
/// and exits with its code. Anything else is a bug and keeps its stack trace.
/// </summary>
internal abstract class InitException : Exception
{
    protected InitException(string message, Exception? innerException = null)
        : base(message, innerException) { }

    public abstract int ExitCode { get; }
}
