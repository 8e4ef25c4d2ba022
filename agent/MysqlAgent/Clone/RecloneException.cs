using MysqlAgent.Errors;

namespace MysqlAgent.Clone;

/// <summary>A re-clone request that cannot be carried out; the datadir is left as it was.</summary>
public sealed class RecloneException(string message, Exception? innerException = null)
    : AgentException(message, innerException);
