namespace MysqlInit;

/// <summary>
/// One exit code per kind of failure, so that a pod's last state says which input to fix without
/// reading its log. 1 is left to the runtime (an unexpected failure with a stack trace).
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Usage = 2;
    public const int BadHostname = 3;
    public const int ServerIdOutOfRange = 4;
    public const int SourceUnreadable = 5;
    public const int TargetUnwritable = 6;
}
