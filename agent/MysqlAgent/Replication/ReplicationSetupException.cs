using MysqlAgent.Errors;

namespace MysqlAgent.Replication;

/// <summary>Replication cannot be set up as asked: an unsupported server, or a start that does not fit it.</summary>
public sealed class ReplicationSetupException : AgentException
{
    public ReplicationSetupException(string message)
        : base(message) { }
}
