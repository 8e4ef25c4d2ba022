using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>No attempt succeeded within <c>--clone-deadline-seconds</c>; the message names the last reason.</summary>
public sealed class CloneDeadlineExceededException : CloneException
{
    public CloneDeadlineExceededException(
        TimeSpan deadline,
        int attempts,
        string? lastReason,
        Endpoint? donor
    )
        : base(
            $"clone did not complete within {deadline.TotalSeconds:0}s ({attempts} attempts); last failure: {lastReason ?? "none recorded"}; raise --clone-deadline-seconds or check the donor",
            donor
        ) { }
}
