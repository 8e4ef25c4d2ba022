namespace MysqlInit.Errors;

/// <summary>A file to copy from the ConfigMap is missing or cannot be read.</summary>
internal sealed class SourceFileException : InitException
{
    public SourceFileException(string message, Exception? innerException = null)
        : base(message, innerException) { }

    public override int ExitCode => ExitCodes.SourceUnreadable;
}
