using MysqlAgent.Errors;

namespace MysqlAgent.Archive;

/// <summary>A restore refused to start (a non-empty datadir, no such backup) or did not complete; the datadir holds no restored data.</summary>
public sealed class RestoreFailedException(string message, Exception? innerException = null)
    : AgentException(message, innerException);
