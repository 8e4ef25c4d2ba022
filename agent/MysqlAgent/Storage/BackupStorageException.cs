using MysqlAgent.Errors;

namespace MysqlAgent.Storage;

/// <summary>Backup storage refused or failed an operation (a bad target, access denied, a server error).</summary>
public class BackupStorageException : AgentException
{
    public BackupStorageException(string message)
        : base(message) { }

    public BackupStorageException(string message, Exception? innerException)
        : base(message, innerException) { }
}
