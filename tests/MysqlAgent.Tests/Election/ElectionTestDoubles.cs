using MysqlAgent.Election;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Tests.Election;

/// <summary>One agent's view of the shared store, which a test can cut off (every call Unavailable).</summary>
internal sealed class CuttableStore(ILeaseStore inner) : ILeaseStore
{
    public bool Cut { get; set; }

    public Task<LeaseResult> GetAsync(CancellationToken cancellationToken) =>
        Cut ? Down() : inner.GetAsync(cancellationToken);

    public Task<LeaseResult> CreateAsync(LeaseRecord record, CancellationToken cancellationToken) =>
        Cut ? Down() : inner.CreateAsync(record, cancellationToken);

    public Task<LeaseResult> ReplaceAsync(
        LeaseRecord record,
        string expectedVersion,
        CancellationToken cancellationToken
    ) => Cut ? Down() : inner.ReplaceAsync(record, expectedVersion, cancellationToken);

    private static Task<LeaseResult> Down() =>
        Task.FromResult(LeaseResult.Unavailable("cut off by the test"));
}

/// <summary>
/// Once armed, holds every reader after its read until that many readers have read, so that they
/// all decide on the same version: a real race for the compare-and-swap. Unarmed, it passes through.
/// </summary>
internal sealed class RendezvousStore(ILeaseStore inner) : ILeaseStore
{
    private TaskCompletionSource? _all;
    private int _parties;
    private int _arrived;

    public void Arm(int parties)
    {
        _parties = parties;
        _arrived = 0;
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<LeaseResult> GetAsync(CancellationToken cancellationToken)
    {
        var result = await inner.GetAsync(cancellationToken);
        if (_all is { } all)
        {
            if (Interlocked.Increment(ref _arrived) >= _parties)
            {
                all.TrySetResult();
            }

            await all.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return result;
    }

    public Task<LeaseResult> CreateAsync(LeaseRecord record, CancellationToken cancellationToken) =>
        inner.CreateAsync(record, cancellationToken);

    public Task<LeaseResult> ReplaceAsync(
        LeaseRecord record,
        string expectedVersion,
        CancellationToken cancellationToken
    ) => inner.ReplaceAsync(record, expectedVersion, cancellationToken);
}

internal static class Pods
{
    public static GtidProgress At(ulong sequence) =>
        GtidProgress.MariaDb(
            MariaDbGtidPosition.Parse($"0-100-{sequence}"),
            MariaDbGtidPosition.Empty
        );

    public static CandidateStatus Status(
        int ordinal,
        ulong sequence = 10,
        long followedTerm = 1,
        bool up = true,
        bool errant = false,
        int priority = 1
    ) => new($"mysql-{ordinal}", ordinal, up, errant, followedTerm, At(sequence), priority);
}

/// <summary>
/// After each of the first <paramref name="renewals"/> reads, the holder renews (a new version), so
/// that a compare-and-swap based on that read loses, as an operator's write can lose to a renewal.
/// </summary>
internal sealed class RenewingStore(ILeaseStore inner, int renewals) : ILeaseStore
{
    public int Renewals { get; private set; }

    public async Task<LeaseResult> GetAsync(CancellationToken cancellationToken)
    {
        var read = await inner.GetAsync(cancellationToken);
        if (Renewals < renewals && read.Outcome == LeaseOutcome.Ok)
        {
            Renewals++;
            var renewed = read.Lease!.Record with
            {
                RenewedAt = read.Lease.Record.RenewedAt.AddSeconds(2),
            };
            Assert.Equal(
                LeaseOutcome.Ok,
                (await inner.ReplaceAsync(renewed, read.Lease.Version, cancellationToken)).Outcome
            );
        }

        return read;
    }

    public Task<LeaseResult> CreateAsync(LeaseRecord record, CancellationToken cancellationToken) =>
        inner.CreateAsync(record, cancellationToken);

    public Task<LeaseResult> ReplaceAsync(
        LeaseRecord record,
        string expectedVersion,
        CancellationToken cancellationToken
    ) => inner.ReplaceAsync(record, expectedVersion, cancellationToken);
}
