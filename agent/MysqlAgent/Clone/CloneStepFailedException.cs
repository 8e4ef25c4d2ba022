using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>
/// The extractor or the prepare step failed on a stream that arrived: a fresh backup may succeed,
/// so it is retried within the deadline; the message carries the tool's last output lines.
/// </summary>
public sealed class CloneStepFailedException : CloneException
{
    public CloneStepFailedException(string message, Endpoint? donor)
        : base(message, donor) { }

    public override bool IsTransient => true;
}
