using MysqlAgent.Errors;

namespace MysqlAgent.Backup.Protocol;

/// <summary>A backup stream that was cut, corrupt, or reported failed by the donor.</summary>
public sealed class BackupStreamException : AgentException
{
    public BackupStreamException(string message)
        : base(message) { }

    /// <summary>A cut or failed stream is worth another try; the next backup is a fresh one.</summary>
    public override bool IsTransient => true;
}
