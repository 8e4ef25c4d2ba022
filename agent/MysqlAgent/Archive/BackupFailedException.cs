using MysqlAgent.Errors;

namespace MysqlAgent.Archive;

/// <summary>A backup to storage did not complete; no manifest was written.</summary>
public sealed class BackupFailedException(string message, Exception? innerException = null)
    : AgentException(message, innerException);
