using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>The donor answered in a way no retry will change (404, 400, ...): most likely a wrong port or not a mysql-agent.</summary>
public sealed class DonorProtocolException : CloneException
{
    public DonorProtocolException(string message, Endpoint donor)
        : base(message, donor) { }
}
