using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>The donor answered 429: it is serving as many backups as it allows; ask again after <see cref="RetryAfter"/>.</summary>
public sealed class DonorBusyException : CloneException
{
    public DonorBusyException(Endpoint donor, TimeSpan? retryAfter)
        : base(
            retryAfter is { } after
                ? $"donor {donor} is busy serving other backups (429, Retry-After {after.TotalSeconds:0}s)"
                : $"donor {donor} is busy serving other backups (429)",
            donor
        ) => RetryAfter = retryAfter;

    public TimeSpan? RetryAfter { get; }

    public override bool IsTransient => true;
}
