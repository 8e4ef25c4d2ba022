namespace MysqlInit.Errors;

/// <summary>The folder mysqld reads its configuration from is missing or cannot be written.</summary>
internal sealed class TargetFolderException : InitException
{
    public TargetFolderException(string message, Exception? innerException = null)
        : base(message, innerException) { }

    public override int ExitCode => ExitCodes.TargetUnwritable;
}
