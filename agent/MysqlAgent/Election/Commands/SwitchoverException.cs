using MysqlAgent.Errors;

namespace MysqlAgent.Election;

/// <summary>A switchover could not be asked for, or did not happen; the message says why and what to do.</summary>
public sealed class SwitchoverException : AgentException
{
    public SwitchoverException(string message)
        : base(message) { }
}
