using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>
/// The donor could not be reached or failed on its side (name not resolvable yet, connection refused,
/// 5xx, stream cut): a peer that is still starting, so worth another try.
/// </summary>
public sealed class DonorUnavailableException : CloneException
{
    public DonorUnavailableException(
        string message,
        Endpoint donor,
        Exception? innerException = null
    )
        : base(message, donor, innerException) { }

    public override bool IsTransient => true;
}
