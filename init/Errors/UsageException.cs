namespace MysqlInit.Errors;

/// <summary>An unknown option, a missing value or a value of the wrong shape.</summary>
internal sealed class UsageException : InitException
{
    public UsageException(string message)
        : base(message) { }

    public override int ExitCode => ExitCodes.Usage;
}
