namespace MysqlAgent.Election;

/// <summary>
/// One agent's side of the election: a state machine that the serve loop steps every retry period
/// (<see cref="StepAsync"/>) and whose every decision depends only on the store's answers and the
/// injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// Expiry is judged as client-go does: by this agent's own monotonic clock since it last saw the
/// record change (a new version), never by a time written in the record, so clocks that differ
/// between nodes do not matter, only their rates. A fresh agent has seen no change yet, so it waits
/// a whole lease duration before it may take a Lease someone holds.
/// </para>
/// <para>
/// The holder counts its lease from the moment it <em>sent</em> its last successful write (others
/// can only have seen it later), and it must step down once <see cref="ElectionTimings.RenewDeadline"/>
/// has passed since then. <see cref="StepAsync"/> checks that after each attempt; because a store
/// call can take up to the API call timeout, the serve loop must also arm a timer on
/// <see cref="UntilRenewDeadline"/> and call <see cref="CheckRenewDeadline"/> when it fires.
/// </para>
/// <para>
/// The term grows by exactly one at each change of holder (acquire, hand over) and never otherwise.
/// Only the holder writes annotations (<see cref="UpdateAnnotationsAsync"/>); a follower writes
/// nothing but its own acquisition.
/// </para>
/// </remarks>
public sealed class LeaderElector
{
    private readonly string _identity;
    private readonly ElectionTimings _timings;
    private readonly ILeaseStore _store;
    private readonly TimeProvider _time;

    private VersionedLease? _seen;
    private long _seenChangedAt;
    private long _lastRenewAt;

    public LeaderElector(
        string identity,
        ElectionTimings timings,
        ILeaseStore store,
        TimeProvider timeProvider
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        ArgumentNullException.ThrowIfNull(timings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _identity = identity;
        _timings = timings.Validate();
        _store = store;
        _time = timeProvider;
    }

    public string Identity => _identity;

    /// <summary>
    /// <c>--max-lag-on-failover</c>: a candidate lacking more transactions than this of the position
    /// the primary last recorded does not race, and a peer that does is not waited for; null for no bound.
    /// </summary>
    public ulong? MaxLagOnFailover { get; init; }

    public ElectorRole Role { get; private set; } = ElectorRole.Follower;

    /// <summary>The latest record seen, or null.</summary>
    public LeaseRecord? Lease => _seen?.Record;

    /// <summary>For the holder: the time left before it must fence itself; null for a follower.</summary>
    public TimeSpan? UntilRenewDeadline =>
        Role == ElectorRole.Leader
            ? _timings.RenewDeadline - _time.GetElapsedTime(_lastRenewAt)
            : null;

    /// <summary>
    /// How long ago, on this agent's clock, the record last changed (a renewal, a new holder): the
    /// freshness of the holder's renewals as this agent sees them; null before the first read.
    /// </summary>
    public TimeSpan? SinceLeaseChanged =>
        _seen is null ? null : _time.GetElapsedTime(_seenChangedAt);

    /// <summary>
    /// For a follower: the time left, on this agent's clock, before the Lease it last read may be
    /// taken (a whole lease duration without a new version). Once it may be, zero or less: minus
    /// how long it has been takeable (a released Lease since it was seen released). Null for the
    /// holder or before the first read.
    /// </summary>
    public TimeSpan? UntilExpiry =>
        Role == ElectorRole.Leader || _seen is null ? null
        : _seen.Record.IsHeld ? _timings.LeaseDuration - _time.GetElapsedTime(_seenChangedAt)
        : -_time.GetElapsedTime(_seenChangedAt);

    /// <summary>One step: read, then acquire, follow or renew as the rules say.</summary>
    /// <param name="self">This pod's own report.</param>
    /// <param name="peers">The reports of the peers that answered.</param>
    /// <param name="mayCreate">Only ordinal 0 on a fresh datadir may create the Lease.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    public Task<ElectionStep> StepAsync(
        CandidateStatus self,
        IReadOnlyList<CandidateStatus> peers,
        bool mayCreate,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(peers);
        return StepAsync(self, Task.FromResult(peers), mayCreate, cancellationToken);
    }

    /// <summary>
    /// One step, with the peers' reports still being read: they are awaited only to decide a race,
    /// after the Lease was read. A peer that does not answer (frozen) then delays neither the
    /// holder's renewal nor a follower's reading of the Lease, whose new version starts its clock:
    /// read after a slow peer read, a renewal made before it would be seen late, and the Lease
    /// would expire by this agent's clock that much later.
    /// </summary>
    public async Task<ElectionStep> StepAsync(
        CandidateStatus self,
        Task<IReadOnlyList<CandidateStatus>> peers,
        bool mayCreate,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(peers);
        if (Role == ElectorRole.Leader)
        {
            return await RenewAsync(self, cancellationToken).ConfigureAwait(false);
        }

        var read = await _store.GetAsync(cancellationToken).ConfigureAwait(false);
        switch (read.Outcome)
        {
            case LeaseOutcome.Unavailable:
                return Step(ElectionEvent.StoreUnavailable, false, read.Error);
            case LeaseOutcome.NotFound:
                return await CreateAsync(self, mayCreate, cancellationToken).ConfigureAwait(false);
            case LeaseOutcome.Ok:
                break;
            default:
                return Step(ElectionEvent.StoreUnavailable, false, read.ToString());
        }

        var knewBefore = _seen is not null;
        var holderChanged = Observe(read.Lease!);
        var record = _seen!.Record;
        if (record.Holder == _identity)
        {
            // Handed over to me (I saw another holder before), or my own Lease after a restart.
            var handedToMe = knewBefore && holderChanged;
            Role = ElectorRole.Leader;
            _lastRenewAt = _seenChangedAt;
            var renewed = await RenewAsync(self, cancellationToken).ConfigureAwait(false);
            return renewed.Role != ElectorRole.Leader ? renewed
                : handedToMe
                    ? renewed with
                    {
                        Event = ElectionEvent.Acquired,
                        Acquisition = LeaseAcquisition.HandedOver,
                        HolderChanged = true,
                        Detail = $"handed over to me in term {record.Term}",
                    }
                : renewed with
                {
                    Event = ElectionEvent.Resumed,
                    Acquisition = LeaseAcquisition.Resumed,
                    Detail = $"the Lease still names me in term {record.Term}",
                };
        }

        var silentFor = _time.GetElapsedTime(_seenChangedAt);
        if (record.IsHeld && silentFor < _timings.LeaseDuration)
        {
            return Step(
                ElectionEvent.Following,
                holderChanged,
                $"{record.Holder} holds term {record.Term}"
            );
        }

        var why = record.IsHeld
            ? $"no change from {record.Holder} for {silentFor.TotalSeconds:0.#} s"
            : "the Lease was released";
        if (record.Paused)
        {
            return Step(ElectionEvent.Paused, holderChanged, why + "; failover is paused");
        }

        // The write below compares the version read above: a renewal meanwhile makes it a conflict.
        var race = CandidateRules.ShouldRace(
            self,
            await peers.ConfigureAwait(false),
            record,
            MaxLagOnFailover
        );
        if (!race.Race)
        {
            return Step(ElectionEvent.NotRacing, holderChanged, why + "; " + race.Reason);
        }

        var next = record with
        {
            Holder = _identity,
            Term = record.Term + 1,
            RenewedAt = _time.GetUtcNow(),
            Switchover = null,
        };
        var sentAt = _time.GetTimestamp();
        var write = await _store
            .ReplaceAsync(next, _seen.Version, cancellationToken)
            .ConfigureAwait(false);
        return write.Outcome switch
        {
            LeaseOutcome.Ok => BecomeLeader(
                write.Lease!,
                sentAt,
                ElectionEvent.Acquired,
                LeaseAcquisition.Won,
                why
            ),
            LeaseOutcome.Conflict => Step(ElectionEvent.LostRace, holderChanged, write.Error),
            _ => Step(ElectionEvent.StoreUnavailable, holderChanged, write.Error),
        };
    }

    /// <summary>
    /// For the holder, called when the timer on <see cref="UntilRenewDeadline"/> fires: steps down
    /// (FenceNow) if the deadline has passed without a renewal; null otherwise.
    /// </summary>
    public ElectionStep? CheckRenewDeadline()
    {
        if (
            Role != ElectorRole.Leader
            || _time.GetElapsedTime(_lastRenewAt) < _timings.RenewDeadline
        )
        {
            return null;
        }

        return StepDown(
            $"no renewal for {_time.GetElapsedTime(_lastRenewAt).TotalSeconds:0.#} s (renew deadline {_timings.RenewDeadline.TotalSeconds:0.#} s)"
        );
    }

    /// <summary>
    /// For the holder only: changes annotations (the history, clearing a switchover request) in
    /// one compare-and-swap that also counts as a renewal. A follower gets Conflict and writes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The change touches the holder or the term.</exception>
    public async Task<LeaseResult> UpdateAnnotationsAsync(
        Func<LeaseRecord, LeaseRecord> change,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(change);
        if (Role != ElectorRole.Leader || _seen is null)
        {
            return LeaseResult.Conflict(
                $"{_identity} does not hold the Lease: only the holder writes annotations"
            );
        }

        var current = _seen.Record;
        var next = change(current) with { RenewedAt = _time.GetUtcNow() };
        if (next.Holder != current.Holder || next.Term != current.Term)
        {
            throw new ArgumentException(
                "an annotation update may not change the holder or the term",
                nameof(change)
            );
        }

        var sentAt = _time.GetTimestamp();
        var write = await _store
            .ReplaceAsync(next, _seen.Version, cancellationToken)
            .ConfigureAwait(false);
        if (write.Outcome == LeaseOutcome.Ok)
        {
            Observe(write.Lease!);
            _lastRenewAt = sentAt;
        }

        return write;
    }

    /// <summary>Records the fork point of the current term (the new primary's position when it became writable).</summary>
    public Task<LeaseResult> RecordForkPointAsync(
        string forkPosition,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(forkPosition);
        return UpdateAnnotationsAsync(
            r => r.WithTermStart(new TermStart(r.Term, _identity, forkPosition)),
            cancellationToken
        );
    }

    /// <summary>
    /// For the holder whose mysqld is already read-only: gives the Lease to <paramref name="target"/>
    /// in the next term (switchover, or a more advanced replica found after winning).
    /// </summary>
    public Task<ElectionStep> HandOverAsync(string target, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        return GiveUpAsync(target, ElectionEvent.HandedOver, cancellationToken);
    }

    /// <summary>For the holder whose mysqld cannot start: leaves the Lease empty so others race at once.</summary>
    public Task<ElectionStep> ReleaseAsync(CancellationToken cancellationToken) =>
        GiveUpAsync("", ElectionEvent.Released, cancellationToken);

    private async Task<ElectionStep> GiveUpAsync(
        string newHolder,
        ElectionEvent done,
        CancellationToken cancellationToken
    )
    {
        if (Role != ElectorRole.Leader || _seen is null)
        {
            return Step(ElectionEvent.Following, false, $"{_identity} does not hold the Lease");
        }

        var current = _seen.Record;
        var next = current with
        {
            Holder = newHolder,
            Term = newHolder.Length > 0 ? current.Term + 1 : current.Term,
            RenewedAt = _time.GetUtcNow(),
            Switchover = null,
        };
        var write = await _store
            .ReplaceAsync(next, _seen.Version, cancellationToken)
            .ConfigureAwait(false);
        if (write.Outcome != LeaseOutcome.Ok)
        {
            return Step(
                write.Outcome == LeaseOutcome.Conflict
                    ? ElectionEvent.RenewFailed
                    : ElectionEvent.StoreUnavailable,
                false,
                write.Error
            );
        }

        Observe(write.Lease!);
        Role = ElectorRole.Follower;
        return Step(
            done,
            true,
            newHolder.Length > 0 ? $"to {newHolder} in term {next.Term}" : $"term {next.Term}"
        );
    }

    private async Task<ElectionStep> CreateAsync(
        CandidateStatus self,
        bool mayCreate,
        CancellationToken cancellationToken
    )
    {
        if (!mayCreate || !self.MysqldUp)
        {
            return Step(
                ElectionEvent.WaitingForLease,
                false,
                "no Lease yet; only ordinal 0 on a fresh datadir creates it"
            );
        }

        var first = new LeaseRecord(_identity, 1, _time.GetUtcNow(), [], null, false);
        var sentAt = _time.GetTimestamp();
        var created = await _store.CreateAsync(first, cancellationToken).ConfigureAwait(false);
        return created.Outcome switch
        {
            LeaseOutcome.Ok => BecomeLeader(
                created.Lease!,
                sentAt,
                ElectionEvent.Created,
                LeaseAcquisition.Created,
                "no Lease yet: this pod created it"
            ),
            LeaseOutcome.Conflict => Step(ElectionEvent.LostRace, false, created.Error),
            _ => Step(ElectionEvent.StoreUnavailable, false, created.Error),
        };
    }

    /// <summary>
    /// Renews, and records <paramref name="self"/>'s position in the Lease while its server takes
    /// writes (the position a failover's lag is counted against).
    /// </summary>
    private async Task<ElectionStep> RenewAsync(
        CandidateStatus self,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var next = _seen!.Record with
            {
                RenewedAt = _time.GetUtcNow(),
                Position = self is { Writable: true, Position: { } own }
                    ? own
                    : _seen.Record.Position,
            };
            var sentAt = _time.GetTimestamp();
            var write = await _store
                .ReplaceAsync(next, _seen.Version, cancellationToken)
                .ConfigureAwait(false);
            if (write.Outcome == LeaseOutcome.Ok)
            {
                Observe(write.Lease!);
                _lastRenewAt = sentAt;
                return Step(ElectionEvent.Renewed, false, null);
            }

            if (write.Outcome != LeaseOutcome.Conflict)
            {
                return RenewFailed(write.Error);
            }

            // Someone else wrote: an operator's annotation (retry on the new version) or a new holder.
            var read = await _store.GetAsync(cancellationToken).ConfigureAwait(false);
            if (read.Outcome != LeaseOutcome.Ok)
            {
                return read.Outcome == LeaseOutcome.NotFound
                    ? StepDown("the Lease was deleted")
                    : RenewFailed(read.Error);
            }

            Observe(read.Lease!);
            var record = _seen.Record;
            if (record.Holder != _identity)
            {
                return StepDown(
                    $"{(record.IsHeld ? record.Holder : "nobody")} holds term {record.Term} now",
                    holderChanged: true
                );
            }
        }

        return RenewFailed("the Lease kept changing under the renewal");
    }

    private ElectionStep RenewFailed(string? error) =>
        CheckRenewDeadline() is { } fence
            ? fence with
            {
                Detail = fence.Detail + "; last error: " + error,
            }
            : Step(ElectionEvent.RenewFailed, false, error);

    private ElectionStep StepDown(string why, bool holderChanged = false)
    {
        Role = ElectorRole.Follower;
        return Step(ElectionEvent.FenceNow, holderChanged, why);
    }

    private ElectionStep BecomeLeader(
        VersionedLease lease,
        long sentAt,
        ElectionEvent done,
        LeaseAcquisition how,
        string why
    )
    {
        var holderChanged = Observe(lease);
        Role = ElectorRole.Leader;
        _lastRenewAt = sentAt;
        return Step(done, holderChanged, $"{why}; term {lease.Record.Term}") with
        {
            Acquisition = how,
        };
    }

    /// <summary>Remembers the record; a new version restarts the expiry clock. Returns whether the holder changed.</summary>
    private bool Observe(VersionedLease lease)
    {
        var previous = _seen;
        if (previous is null || previous.Version != lease.Version)
        {
            _seenChangedAt = _time.GetTimestamp();
        }

        _seen = lease;
        return previous is null || previous.Record.Holder != lease.Record.Holder;
    }

    private ElectionStep Step(ElectionEvent happened, bool holderChanged, string? detail) =>
        new(Role, happened, _seen?.Record, holderChanged, detail);
}
