using System.Globalization;

namespace MysqlAgent.Election;

/// <summary>A store in one process, for tests of the elector: same contract, no I/O.</summary>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock _gate = new();
    private VersionedLease? _current;
    private long _version;

    public Task<LeaseResult> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(
                _current is null ? LeaseResult.NotFound : LeaseResult.Ok(_current)
            );
        }
    }

    public Task<LeaseResult> CreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (_current is not null)
            {
                return Task.FromResult(LeaseResult.Conflict("the Lease exists already"));
            }

            return Task.FromResult(LeaseResult.Ok(Store(record)));
        }
    }

    public Task<LeaseResult> ReplaceAsync(
        LeaseRecord record,
        string expectedVersion,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (_current is null)
            {
                return Task.FromResult(LeaseResult.Conflict("the Lease is gone"));
            }

            if (_current.Version != expectedVersion)
            {
                return Task.FromResult(
                    LeaseResult.Conflict(
                        $"version {expectedVersion} is stale, the Lease is at {_current.Version}"
                    )
                );
            }

            return Task.FromResult(LeaseResult.Ok(Store(record)));
        }
    }

    private VersionedLease Store(LeaseRecord record)
    {
        _version++;
        _current = new VersionedLease(record, _version.ToString(CultureInfo.InvariantCulture));
        return _current;
    }
}
