using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

public sealed class LeaderElectorTests
{
    private static readonly ElectionTimings Timings = ElectionTimings.Default;
    private static readonly TimeSpan Retry = Timings.RetryPeriod;

    private readonly FakeTimeProvider _time = new(
        new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero)
    );
    private readonly InMemoryLeaseStore _store = new();

    private sealed record Pod(LeaderElector Elector, CuttableStore View, CandidateStatus Status)
    {
        public bool Alive { get; set; } = true;
    }

    private Pod NewPod(int ordinal, ulong sequence = 10, ILeaseStore? store = null)
    {
        var view = new CuttableStore(store ?? _store);
        var status = Pods.Status(ordinal, sequence);
        return new Pod(new LeaderElector(status.Name, Timings, view, _time), view, status);
    }

    private static Task<ElectionStep> Step(Pod pod, params Pod[] peers) =>
        pod.Elector.StepAsync(
            pod.Status,
            peers.Select(p => p.Status).ToArray(),
            mayCreate: pod.Status.Ordinal == 0,
            CancellationToken.None
        );

    /// <summary>Steps every live pod once per retry period for <paramref name="duration"/>; returns every step.</summary>
    private async Task<List<(TimeSpan At, string Pod, ElectionStep Step)>> Run(
        TimeSpan duration,
        params Pod[] pods
    )
    {
        var steps = new List<(TimeSpan, string, ElectionStep)>();
        for (var at = TimeSpan.Zero; at < duration; at += Retry)
        {
            _time.Advance(Retry);
            foreach (var pod in pods.Where(p => p.Alive))
            {
                var step = await Step(pod, pods.Where(p => p != pod && p.Alive).ToArray());
                steps.Add((at + Retry, pod.Status.Name, step));
            }
        }

        return steps;
    }

    private async Task<LeaseRecord> Stored() =>
        (await _store.GetAsync(CancellationToken.None)).Lease!.Record;

    private async Task<(Pod A, Pod B, Pod C)> ThreePodsWithAPrimary(
        ulong bSequence = 10,
        ulong cSequence = 10
    )
    {
        var a = NewPod(0);
        var b = NewPod(1, bSequence);
        var c = NewPod(2, cSequence);
        Assert.Equal(ElectionEvent.Created, (await Step(a)).Event);
        Assert.Equal(ElectionEvent.Following, (await Step(b, a, c)).Event);
        Assert.Equal(ElectionEvent.Following, (await Step(c, a, b)).Event);
        return (a, b, c);
    }

    [Fact]
    public async Task Ordinal_0_creates_the_Lease_in_term_1_and_the_others_wait_for_it_then_follow()
    {
        var a = NewPod(0);
        var b = NewPod(1);

        var waiting = await Step(b, a);
        var created = await Step(a, b);
        var following = await Step(b, a);

        Assert.Equal(ElectionEvent.WaitingForLease, waiting.Event);
        Assert.Equal(ElectionEvent.Created, created.Event);
        Assert.Equal(ElectorRole.Leader, a.Elector.Role);
        Assert.Equal(ElectionEvent.Following, following.Event);
        Assert.True(following.HolderChanged);
        Assert.Equal(
            new { Holder = "mysql-0", Term = 1L },
            new { (await Stored()).Holder, (await Stored()).Term }
        );
    }

    [Fact]
    public async Task A_holder_that_keeps_renewing_is_never_replaced()
    {
        var (a, b, c) = await ThreePodsWithAPrimary();

        var steps = await Run(TimeSpan.FromMinutes(2), a, b, c);

        Assert.All(
            steps.Where(s => s.Pod == "mysql-0"),
            s => Assert.Equal(ElectionEvent.Renewed, s.Step.Event)
        );
        Assert.All(
            steps.Where(s => s.Pod != "mysql-0"),
            s => Assert.Equal(ElectionEvent.Following, s.Step.Event)
        );
        Assert.Equal(1, (await Stored()).Term);
    }

    [Fact]
    public async Task The_holder_records_its_position_only_while_writable_and_a_replica_lacking_more_than_the_bound_does_not_take_over()
    {
        var ct = CancellationToken.None;
        var serving = Pods.Status(0, 40) with
        {
            Writable = true,
            Position = new RecordedPosition("mariadb", "0-100-40"),
        };
        var holder = new LeaderElector("mysql-0", Timings, _store, _time);
        var far = new LeaderElector("mysql-1", Timings, _store, _time) { MaxLagOnFailover = 5 };
        var near = new LeaderElector("mysql-2", Timings, _store, _time) { MaxLagOnFailover = 5 };
        var (farStatus, nearStatus) = (Pods.Status(1, 30), Pods.Status(2, 36));

        Assert.Equal(
            ElectionEvent.Created,
            (await holder.StepAsync(serving with { Writable = false }, [], true, ct)).Event
        );
        _time.Advance(Retry);
        await holder.StepAsync(serving with { Writable = false }, [], true, ct);
        Assert.Null((await Stored()).Position);
        _time.Advance(Retry);
        Assert.Equal(ElectionEvent.Renewed, (await holder.StepAsync(serving, [], true, ct)).Event);
        Assert.Equal(serving.Position, (await Stored()).Position);

        // The holder goes silent; both replicas saw its last renewal.
        await far.StepAsync(farStatus, [nearStatus], false, ct);
        await near.StepAsync(nearStatus, [farStatus], false, ct);
        _time.Advance(Timings.LeaseDuration);
        var refused = await far.StepAsync(farStatus, [], false, ct);
        var raced = await near.StepAsync(nearStatus, [farStatus], false, ct);

        Assert.Equal(ElectionEvent.NotRacing, refused.Event);
        Assert.Contains(
            "it lacks 10 transactions of the position the primary last recorded, more than --max-lag-on-failover 5",
            refused.Detail,
            StringComparison.Ordinal
        );
        Assert.Equal(ElectionEvent.Acquired, raced.Event);
        Assert.Equal(("mysql-2", 2L), ((await Stored()).Holder, (await Stored()).Term));
    }

    [Fact]
    public async Task A_silent_holder_is_replaced_only_after_a_lease_duration_by_the_observer_own_clock_and_the_term_grows_by_one()
    {
        var (a, b, _) = await ThreePodsWithAPrimary();
        a.Alive = false;

        var steps = await Run(TimeSpan.FromSeconds(20), a, b);

        var acquired = Assert.Single(steps, s => s.Step.Event == ElectionEvent.Acquired);
        Assert.Equal("mysql-1", acquired.Pod);
        Assert.True(acquired.At >= Timings.LeaseDuration, $"acquired at {acquired.At}");
        Assert.All(
            steps.Where(s => s.At < Timings.LeaseDuration),
            s => Assert.Equal(ElectionEvent.Following, s.Step.Event)
        );
        var record = await Stored();
        Assert.Equal(("mysql-1", 2L), (record.Holder, record.Term));
    }

    [Fact]
    public async Task A_follower_can_step_at_the_moment_the_Lease_expires_by_its_clock_and_not_a_retry_period_later()
    {
        var (a, b, _) = await ThreePodsWithAPrimary();
        Assert.Null(a.Elector.UntilExpiry);
        Assert.Equal(Timings.LeaseDuration, b.Elector.UntilExpiry);

        // A renewal seen restarts the count; silence runs it down past zero.
        _time.Advance(TimeSpan.FromSeconds(1.5));
        await Step(a);
        await Step(b, a);
        Assert.Equal(Timings.LeaseDuration, b.Elector.UntilExpiry);
        a.Alive = false;
        _time.Advance(Timings.LeaseDuration - TimeSpan.FromMilliseconds(300));
        Assert.Equal(TimeSpan.FromMilliseconds(300), b.Elector.UntilExpiry);
        Assert.Equal(ElectionEvent.Following, (await Step(b)).Event);

        // Stepping at that moment (the service adds a margin), not at the next retry tick, takes it.
        _time.Advance(b.Elector.UntilExpiry!.Value + TimeSpan.FromMilliseconds(10));
        Assert.Equal(ElectionEvent.Acquired, (await Step(b)).Event);
        Assert.Null(b.Elector.UntilExpiry);
    }

    [Fact]
    public async Task A_released_Lease_counts_as_expired_since_it_was_seen_released()
    {
        var (a, b, _) = await ThreePodsWithAPrimary();
        await a.Elector.ReleaseAsync(CancellationToken.None);
        var paused = await _store.GetAsync(CancellationToken.None);
        Assert.True(
            (
                await _store.ReplaceAsync(
                    paused.Lease!.Record with
                    {
                        Paused = true,
                    },
                    paused.Lease.Version,
                    CancellationToken.None
                )
            ).Outcome == LeaseOutcome.Ok
        );

        Assert.Equal(ElectionEvent.Paused, (await Step(b)).Event);
        Assert.Equal(TimeSpan.Zero, b.Elector.UntilExpiry);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(-4), b.Elector.UntilExpiry);
    }

    [Fact]
    public async Task A_fresh_agent_waits_a_whole_lease_duration_whatever_time_the_record_says()
    {
        var a = NewPod(0);
        await Step(a);
        a.Alive = false;
        // The holder's wall clock said an hour ago: a fresh agent must not trust it.
        var created = (await _store.GetAsync(CancellationToken.None)).Lease!;
        await _store.ReplaceAsync(
            created.Record with
            {
                RenewedAt = created.Record.RenewedAt.AddHours(-1),
            },
            created.Version,
            CancellationToken.None
        );
        _time.Advance(TimeSpan.FromMinutes(5));
        var late = NewPod(1);

        var steps = await Run(TimeSpan.FromSeconds(20), late);

        var acquired = Assert.Single(steps, s => s.Step.Event == ElectionEvent.Acquired);
        Assert.True(acquired.At >= Timings.LeaseDuration, $"acquired at {acquired.At}");
    }

    [Fact]
    public async Task A_holder_cut_off_from_the_store_fences_itself_at_the_renew_deadline_before_anyone_may_take_the_Lease()
    {
        var (a, b, c) = await ThreePodsWithAPrimary();
        a.View.Cut = true;

        var steps = await Run(TimeSpan.FromSeconds(30), a, b, c);

        var fence = Assert.Single(steps, s => s.Step.FenceNow);
        Assert.Equal("mysql-0", fence.Pod);
        Assert.Equal(Timings.RenewDeadline, fence.At);
        Assert.All(
            steps.Where(s => s.Pod == "mysql-0" && s.At < fence.At),
            s => Assert.Equal(ElectionEvent.RenewFailed, s.Step.Event)
        );
        var acquired = Assert.Single(steps, s => s.Step.Event == ElectionEvent.Acquired);
        Assert.True(
            fence.At + Timings.FenceBudget < acquired.At,
            $"fenced at {fence.At} + budget {Timings.FenceBudget}, acquired at {acquired.At}"
        );
        Assert.Equal(2, (await Stored()).Term);
    }

    [Fact]
    public async Task The_renew_deadline_timer_fences_a_holder_whose_store_call_hangs()
    {
        var (a, _, _) = await ThreePodsWithAPrimary();

        _time.Advance(Timings.RenewDeadline - TimeSpan.FromMilliseconds(1));
        var early = a.Elector.CheckRenewDeadline();
        var left = a.Elector.UntilRenewDeadline;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var due = a.Elector.CheckRenewDeadline();

        Assert.Null(early);
        Assert.Equal(TimeSpan.FromMilliseconds(1), left);
        Assert.NotNull(due);
        Assert.True(due.FenceNow);
        Assert.Equal(ElectorRole.Follower, a.Elector.Role);
    }

    [Fact]
    public async Task A_store_flapping_for_less_than_the_renew_deadline_changes_no_term_and_fences_nobody()
    {
        var (a, b, c) = await ThreePodsWithAPrimary();
        var pods = new[] { a, b, c };

        var before = await Run(TimeSpan.FromSeconds(10), pods);
        foreach (var pod in pods)
        {
            pod.View.Cut = true;
        }

        var during = await Run(TimeSpan.FromSeconds(8), pods);
        foreach (var pod in pods)
        {
            pod.View.Cut = false;
        }

        var after = await Run(TimeSpan.FromSeconds(60), pods);

        Assert.All(
            during,
            s =>
                Assert.Contains(
                    s.Step.Event,
                    new[] { ElectionEvent.RenewFailed, ElectionEvent.StoreUnavailable }
                )
        );
        Assert.DoesNotContain(
            before.Concat(during).Concat(after),
            s => s.Step.FenceNow || s.Step.Event == ElectionEvent.Acquired
        );
        var record = await Stored();
        Assert.Equal(("mysql-0", 1L), (record.Holder, record.Term));
    }

    [Fact]
    public async Task Two_candidates_racing_on_the_same_version_one_wins_the_other_loses_and_follows()
    {
        var race = new RendezvousStore(_store);
        var a = NewPod(0);
        await Step(a);
        var b = NewPod(1, store: race);
        var c = NewPod(2, store: race);
        // Each sees the Lease once, then a whole lease duration passes without a change.
        Assert.Equal(ElectionEvent.Following, (await Step(b)).Event);
        Assert.Equal(ElectionEvent.Following, (await Step(c)).Event);
        _time.Advance(Timings.LeaseDuration);
        race.Arm(parties: 2);

        // Neither sees the other (no /status answer), so both race.
        var results = await Task.WhenAll(
            b.Elector.StepAsync(b.Status, [], false, CancellationToken.None),
            c.Elector.StepAsync(c.Status, [], false, CancellationToken.None)
        );

        Assert.Single(results, r => r.Event == ElectionEvent.Acquired);
        Assert.Single(results, r => r.Event == ElectionEvent.LostRace);
        var record = await Stored();
        Assert.Equal(2, record.Term);
        var loser = record.Holder == "mysql-1" ? c : b;
        var next = await loser.Elector.StepAsync(loser.Status, [], false, CancellationToken.None);
        Assert.Equal(ElectionEvent.Following, next.Event);
        Assert.Equal(record.Holder, next.Lease!.Holder);
    }

    [Fact]
    public async Task A_replica_behind_an_eligible_peer_does_not_race_and_the_one_ahead_wins()
    {
        var (a, b, c) = await ThreePodsWithAPrimary(bSequence: 10, cSequence: 12);
        a.Alive = false;

        var steps = await Run(TimeSpan.FromSeconds(20), a, b, c);

        Assert.Contains(
            steps,
            s =>
                s.Pod == "mysql-1"
                && s.Step.Event == ElectionEvent.NotRacing
                && s.Step.Detail!.Contains("mysql-2 is ahead", StringComparison.Ordinal)
        );
        var acquired = Assert.Single(steps, s => s.Step.Event == ElectionEvent.Acquired);
        Assert.Equal("mysql-2", acquired.Pod);
        Assert.Equal(("mysql-2", 2L), ((await Stored()).Holder, (await Stored()).Term));
    }

    [Fact]
    public async Task Equal_replicas_leave_the_race_to_the_lower_ordinal()
    {
        var (a, b, c) = await ThreePodsWithAPrimary();
        a.Alive = false;

        var steps = await Run(TimeSpan.FromSeconds(20), a, b, c);

        Assert.Equal(
            "mysql-1",
            Assert.Single(steps, s => s.Step.Event == ElectionEvent.Acquired).Pod
        );
        Assert.DoesNotContain(steps, s => s.Step.Event == ElectionEvent.LostRace);
    }

    [Fact]
    public async Task In_a_paused_set_a_silent_holder_is_never_replaced()
    {
        var (a, b, c) = await ThreePodsWithAPrimary();
        var paused = await a.Elector.UpdateAnnotationsAsync(
            r => r with { Paused = true },
            CancellationToken.None
        );
        Assert.Equal(LeaseOutcome.Ok, paused.Outcome);
        a.Alive = false;

        var steps = await Run(TimeSpan.FromMinutes(2), a, b, c);

        Assert.Contains(steps, s => s.Step.Event == ElectionEvent.Paused);
        Assert.DoesNotContain(steps, s => s.Step.Event == ElectionEvent.Acquired);
        Assert.Equal(("mysql-0", 1L), ((await Stored()).Holder, (await Stored()).Term));
    }

    [Fact]
    public async Task Only_the_holder_writes_annotations_and_never_the_holder_or_term_through_them()
    {
        var (a, b, _) = await ThreePodsWithAPrimary();
        var before = (await _store.GetAsync(CancellationToken.None)).Lease!;

        var byFollower = await b.Elector.RecordForkPointAsync("0-101-10", CancellationToken.None);
        var unchanged = (await _store.GetAsync(CancellationToken.None)).Lease!;
        var byHolder = await a.Elector.RecordForkPointAsync("0-100-10", CancellationToken.None);

        Assert.Equal(LeaseOutcome.Conflict, byFollower.Outcome);
        Assert.Equal(before, unchanged);
        Assert.Equal(LeaseOutcome.Ok, byHolder.Outcome);
        Assert.Equal([new TermStart(1, "mysql-0", "0-100-10")], (await Stored()).History);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            a.Elector.UpdateAnnotationsAsync(r => r with { Term = 9 }, CancellationToken.None)
        );
    }

    [Fact]
    public async Task An_operator_annotation_written_between_renewals_does_not_cost_the_holder_its_Lease()
    {
        var (a, _, _) = await ThreePodsWithAPrimary();
        var current = (await _store.GetAsync(CancellationToken.None)).Lease!;
        await _store.ReplaceAsync(
            current.Record with
            {
                Switchover = new SwitchoverRequest("mysql-2", 1),
            },
            current.Version,
            CancellationToken.None
        );
        _time.Advance(Retry);

        var step = await Step(a);

        Assert.Equal(ElectionEvent.Renewed, step.Event);
        var record = await Stored();
        Assert.Equal(
            ("mysql-0", 1L, "mysql-2"),
            (record.Holder, record.Term, record.Switchover?.To)
        );
    }

    [Fact]
    public async Task A_holder_that_sees_another_holder_fences_itself_at_once()
    {
        var (a, _, _) = await ThreePodsWithAPrimary();
        var current = (await _store.GetAsync(CancellationToken.None)).Lease!;
        await _store.ReplaceAsync(
            current.Record with
            {
                Holder = "mysql-2",
                Term = 2,
            },
            current.Version,
            CancellationToken.None
        );
        _time.Advance(Retry);

        var step = await Step(a);

        Assert.True(step.FenceNow);
        Assert.True(step.HolderChanged);
        Assert.Equal(ElectorRole.Follower, a.Elector.Role);
        Assert.Equal("mysql-2", step.Lease!.Holder);
    }

    [Fact]
    public async Task Handing_over_gives_the_Lease_to_the_target_in_the_next_term()
    {
        var (a, b, c) = await ThreePodsWithAPrimary();

        var handed = await a.Elector.HandOverAsync("mysql-2", CancellationToken.None);
        _time.Advance(Retry);
        var resumed = await Step(c, a, b);
        var following = await Step(b, a, c);

        Assert.Equal(ElectionEvent.HandedOver, handed.Event);
        Assert.Equal(ElectorRole.Follower, a.Elector.Role);
        Assert.Equal(ElectionEvent.Acquired, resumed.Event);
        Assert.True(resumed.HolderChanged);
        Assert.Equal(ElectionEvent.Following, following.Event);
        Assert.True(following.HolderChanged);
        Assert.Equal(("mysql-2", 2L), ((await Stored()).Holder, (await Stored()).Term));
    }

    [Fact]
    public async Task A_released_Lease_is_taken_at_once_in_the_next_term()
    {
        var (a, b, c) = await ThreePodsWithAPrimary();

        var released = await a.Elector.ReleaseAsync(CancellationToken.None);
        a.Alive = false;
        _time.Advance(Retry);
        var step = await Step(b, c);

        Assert.Equal(ElectionEvent.Released, released.Event);
        Assert.Equal(ElectionEvent.Acquired, step.Event);
        Assert.Equal(("mysql-1", 2L), ((await Stored()).Holder, (await Stored()).Term));
    }

    [Fact]
    public async Task A_restarted_holder_agent_resumes_its_Lease_in_the_same_term()
    {
        await ThreePodsWithAPrimary();
        var restarted = NewPod(0);

        var step = await Step(restarted);

        Assert.Equal(ElectionEvent.Resumed, step.Event);
        Assert.Equal(ElectorRole.Leader, restarted.Elector.Role);
        Assert.Equal(1, (await Stored()).Term);
    }

    [Fact]
    public async Task Terms_grow_by_one_per_holder_across_three_failovers_and_nobody_else_changes_them()
    {
        var pods = new[] { NewPod(0), NewPod(1), NewPod(2), NewPod(3) };
        await Step(pods[0]);
        var holders = new List<(string, long)> { ((await Stored()).Holder, (await Stored()).Term) };
        for (var failover = 0; failover < 3; failover++)
        {
            var holder = pods.Single(p => p.Elector.Role == ElectorRole.Leader);
            holder.Alive = false;
            var steps = await Run(TimeSpan.FromSeconds(20), pods);
            Assert.Single(steps, s => s.Step.Event == ElectionEvent.Acquired);
            // The winner's peers follow its term now.
            for (var i = 0; i < pods.Length; i++)
            {
                pods[i] = pods[i] with
                {
                    Status = pods[i].Status with { FollowedTerm = (await Stored()).Term },
                };
                pods[i].Alive = pods[i].Elector != holder.Elector;
            }

            pods = pods.Where(p => p.Alive).ToArray();
            holders.Add(((await Stored()).Holder, (await Stored()).Term));
        }

        Assert.Equal([1L, 2L, 3L, 4L], holders.Select(h => h.Item2));
        Assert.Equal(4, holders.Select(h => h.Item1).Distinct().Count());
    }

    [Fact]
    public async Task Peers_still_being_read_hold_back_neither_a_renewal_nor_the_reading_of_the_Lease_only_a_race()
    {
        var (a, b, _) = await ThreePodsWithAPrimary();
        var never = new TaskCompletionSource<IReadOnlyList<CandidateStatus>>();

        // A frozen peer's read is pending: the holder renews and a follower reads the Lease anyway.
        _time.Advance(Retry);
        var renewed = await a.Elector.StepAsync(a.Status, never.Task, false, default);
        Assert.Equal(ElectionEvent.Renewed, renewed.Event);
        var followed = await b.Elector.StepAsync(b.Status, never.Task, false, default);
        Assert.Equal(ElectionEvent.Following, followed.Event);

        // That renewal started b's clock, though the peers never answered: a whole lease later
        // (a renews no more), b waits for the peers only to decide its race, and races.
        a = a with
        {
            Alive = false,
        };
        _time.Advance(Timings.LeaseDuration);
        var peers = new TaskCompletionSource<IReadOnlyList<CandidateStatus>>();
        var race = b.Elector.StepAsync(b.Status, peers.Task, false, default);
        Assert.False(race.IsCompleted);
        peers.SetResult([]);
        Assert.Equal(ElectionEvent.Acquired, (await race).Event);
        Assert.Equal(b.Status.Name, (await Stored()).Holder);
    }
}
