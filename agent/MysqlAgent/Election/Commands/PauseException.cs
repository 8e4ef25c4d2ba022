using MysqlAgent.Errors;

namespace MysqlAgent.Election;

/// <summary>Failover could not be paused or resumed; the message says why and what to do.</summary>
public sealed class PauseException : AgentException
{
    public PauseException(string message)
        : base(message) { }
}
