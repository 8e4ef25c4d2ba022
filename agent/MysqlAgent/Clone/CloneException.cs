using MysqlAgent.Configuration;
using MysqlAgent.Errors;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>A clone attempt that failed for a reason an operator can act on; <see cref="Donor"/> is the peer asked, when there was one.</summary>
public abstract class CloneException : AgentException
{
    protected CloneException(string message, Endpoint? donor, Exception? innerException = null)
        : base(message, innerException) => Donor = donor;

    public Endpoint? Donor { get; }
}
