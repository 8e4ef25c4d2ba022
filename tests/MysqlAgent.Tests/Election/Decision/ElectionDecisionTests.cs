using MysqlAgent.Election;
using static MysqlAgent.Election.ElectionAction;

namespace MysqlAgent.Tests.Election.Decision;

/// <summary>Every rule of the election loop, as rows over an observed turn, with no I/O.</summary>
public sealed class ElectionDecisionTests
{
    private static readonly ElectionPolicy Policy = TurnBuilder.Policy();

    /// <summary>mysql-1 won term 2 from mysql-0 (whose term 1 had a primary).</summary>
    private static readonly LeaseRecord Won = TurnBuilder.Lease(
        "mysql-1",
        2,
        TurnBuilder.Fork(1, "mysql-0")
    );

    private static ElectionPlan Decide(TurnBuilder turn, ElectionMemory? memory = null) =>
        ElectionDecision.Decide(turn.Build(), memory ?? turn.Memory(), Policy);

    private static TurnBuilder Winner() =>
        new TurnBuilder()
            .Leading(ElectionEvent.Acquired, LeaseAcquisition.Won)
            .WithLease(Won)
            .WithLocal(TurnBuilder.Replica(0));

    [Fact]
    public void A_race_winner_with_a_more_advanced_eligible_peer_hands_the_Lease_over()
    {
        var plan = Decide(Winner().Self(10).Peer(Pods.Status(2, sequence: 12)));

        var handOver = Assert.IsType<HandOver>(Assert.Single(plan.Actions));
        Assert.Equal("mysql-2", handOver.To.Name);
        Assert.Contains("handing term 2 over to mysql-2", plan.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_race_winner_hands_over_only_before_it_promoted_in_the_term()
    {
        var turn = Winner().Self(10).Peer(Pods.Status(2, sequence: 12));
        var promoted = turn.Memory() with { Terms = new TermMemory(2, 2, 2, 2), Promoted = true };

        Assert.DoesNotContain(Decide(turn, promoted).Actions, a => a is HandOver);
    }

    [Fact]
    public void A_resumed_Lease_is_not_handed_over_even_to_a_more_advanced_peer()
    {
        var turn = Winner()
            .Leading(ElectionEvent.Resumed, LeaseAcquisition.Resumed)
            .Self(10)
            .Peer(Pods.Status(2, sequence: 12));

        Assert.IsType<Promote>(Decide(turn).Actions[^1]);
    }

    [Fact]
    public void A_winner_with_no_better_peer_fences_the_last_primary_then_promotes()
    {
        var plan = Decide(Winner());

        var fence = Assert.IsType<FenceLastPrimary>(plan.Actions[0]);
        Assert.Equal(("mysql-0", 0, 2L), (fence.Pod, fence.Ordinal, fence.Term));
        Assert.Equal([2], fence.Others);
        Assert.Equal(new Promote(2, ForkPointRecorded: false), plan.Actions[1]);
        Assert.Equal(2, plan.Actions.Count);
        Assert.True(plan.Memory.DoneIn(OncePerTerm.LastPrimaryFenced, 2));
        Assert.Equal(2, plan.Memory.Terms.Acquired);
        Assert.Equal(2, plan.Memory.Terms.Held);
        Assert.Equal("promoting in term 2", plan.Sentence);
    }

    [Fact]
    public void The_last_primary_is_fenced_once_per_term_and_the_promotion_is_tried_again()
    {
        var turn = Winner();
        var first = Decide(turn);

        var again = ElectionDecision.Decide(
            turn.Leading(ElectionEvent.Renewed).Build(),
            first.Memory,
            Policy
        );

        Assert.Equal([new Promote(2, false)], again.Actions);
    }

    [Fact]
    public void With_pod_labels_the_old_holders_lose_the_primary_label_before_the_promotion()
    {
        var plan = ElectionDecision.Decide(
            Winner().Build(),
            Winner().Memory(),
            TurnBuilder.Policy(labels: true)
        );

        var labels = Assert.IsType<MoveLabels>(plan.Actions[0]);
        Assert.Equal(["mysql-0"], labels.OldHolders);
        Assert.IsType<Promote>(plan.Actions[^1]);
    }

    [Fact]
    public void A_term_whose_fork_point_is_recorded_promotes_without_moving_it()
    {
        var lease = Won.WithTermStart(TurnBuilder.Fork(2, "mysql-1"));
        var plan = Decide(Winner().Leading(ElectionEvent.Renewed).WithLease(lease));

        Assert.Equal(new Promote(2, ForkPointRecorded: true), plan.Actions[^1]);
    }

    [Fact]
    public void A_holder_whose_mysqld_is_down_is_not_primary_and_releases_after_the_start_timeout()
    {
        var down = new TurnBuilder()
            .Leading()
            .WithLease(TurnBuilder.Lease("mysql-1", 2, TurnBuilder.Fork(2, "mysql-1")))
            .MysqldDown();
        var promoted = down.Memory() with { Promoted = true, Terms = new TermMemory(2, 2, 2, 2) };

        var first = Decide(down.AtSecond(100), promoted);
        Assert.Equal([new SetPrimary(false)], first.Actions);
        Assert.Equal(100_000, first.Memory.DownSince);

        var before = ElectionDecision.Decide(down.AtSecond(129.9).Build(), first.Memory, Policy);
        Assert.Equal([new SetPrimary(false)], before.Actions);

        var after = ElectionDecision.Decide(down.AtSecond(130).Build(), before.Memory, Policy);
        Assert.Equal(
            [new SetPrimary(false), new Release(2, TimeSpan.FromSeconds(30))],
            after.Actions
        );
    }

    [Fact]
    public void A_holder_whose_mysqld_answers_again_forgets_since_when_it_was_down()
    {
        var turn = new TurnBuilder()
            .Leading()
            .WithLease(TurnBuilder.Lease("mysql-1", 2, TurnBuilder.Fork(2, "mysql-1")))
            .WithLocal(TurnBuilder.Replica(null));
        var plan = Decide(turn, turn.Memory() with { DownSince = 5 });

        Assert.Null(plan.Memory.DownSince);
        Assert.IsType<Promote>(plan.Actions[^1]);
    }

    [Fact]
    public void A_switchover_request_seen_for_the_first_time_is_only_remembered()
    {
        var request = new SwitchoverRequest("mysql-2", 2);
        var turn = PrimaryOfTerm2(request);

        var plan = Decide(turn, PromotedMemory(turn));

        Assert.Empty(plan.Actions);
        Assert.Equal(request, plan.Memory.SwitchoverSeen);
    }

    [Fact]
    public void A_switchover_seen_again_stops_calling_itself_primary_before_it_switches_over()
    {
        var request = new SwitchoverRequest("mysql-2", 2);
        var turn = PrimaryOfTerm2(request);

        var plan = Decide(turn, PromotedMemory(turn) with { SwitchoverSeen = request });

        Assert.Collection(
            plan.Actions,
            a => Assert.Equal(new SetPrimary(false), a),
            a => Assert.Equal("mysql-2", Assert.IsType<SwitchOver>(a).Target.Name)
        );
    }

    [Fact]
    public void A_switchover_to_the_best_replica_picks_the_most_advanced_eligible_one()
    {
        var request = new SwitchoverRequest(null, 2);
        var turn = PrimaryOfTerm2(request)
            .Peer(Pods.Status(0, sequence: 20, followedTerm: 2))
            .Peer(Pods.Status(2, sequence: 21, followedTerm: 2));

        var plan = Decide(turn, PromotedMemory(turn) with { SwitchoverSeen = request });

        Assert.Equal("mysql-2", Assert.IsType<SwitchOver>(plan.Actions[^1]).Target.Name);
    }

    [Theory]
    [InlineData("mysql-2", 1, "the request was for term 1, this is term 2")]
    [InlineData("mysql-7", 2, "mysql-7 did not answer as a candidate")]
    public void A_switchover_that_cannot_be_done_is_refused_and_nothing_else_changes(
        string to,
        long term,
        string why
    )
    {
        var request = new SwitchoverRequest(to, term);
        var turn = PrimaryOfTerm2(request);

        var plan = Decide(turn, PromotedMemory(turn) with { SwitchoverSeen = request });

        Assert.Equal([new RefuseSwitchover(why)], plan.Actions);
    }

    [Fact]
    public void A_switchover_to_a_replica_of_an_older_term_is_refused()
    {
        var request = new SwitchoverRequest("mysql-2", 2);
        var turn = PrimaryOfTerm2(request).Peer(Pods.Status(2, followedTerm: 1));

        var plan = Decide(turn, PromotedMemory(turn) with { SwitchoverSeen = request });

        var refused = Assert.IsType<RefuseSwitchover>(Assert.Single(plan.Actions));
        Assert.StartsWith("mysql-2 is not eligible", refused.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_promoted_writable_primary_ensures_semi_sync_until_it_is_on()
    {
        var turn = PrimaryOfTerm2(null);
        var memory = PromotedMemory(turn);

        Assert.Equal([new EnsureSemiSync(2)], Decide(turn, memory).Actions);
        Assert.Empty(Decide(turn, memory with { SemiSync = SemiSyncSourceState.On }).Actions);
        Assert.Empty(
            Decide(turn, memory with { SemiSync = SemiSyncSourceState.Unavailable }).Actions
        );
        Assert.Empty(
            ElectionDecision.Decide(turn.Build(), memory, Policy with { SemiSync = false }).Actions
        );
    }

    [Fact]
    public void A_promoted_primary_whose_mysqld_came_back_read_only_is_promoted_again()
    {
        var turn = new TurnBuilder()
            .Leading()
            .WithLease(TurnBuilder.Lease("mysql-1", 2, TurnBuilder.Fork(2, "mysql-1")))
            .WithLocal(TurnBuilder.Replica(null));

        var plan = Decide(turn, PromotedMemory(turn));

        Assert.Equal(new Promote(2, true), plan.Actions[^1]);
    }

    [Fact]
    public void A_writable_follower_is_not_primary_and_fences_before_anything_else()
    {
        var turn = new TurnBuilder().Writable();

        var plan = Decide(turn);

        Assert.Equal(new SetPrimary(false), plan.Actions[0]);
        Assert.Equal(new FenceSelf("writable without the Lease", true), plan.Actions[1]);
    }

    [Fact]
    public void A_follower_already_replicating_from_the_holder_only_remembers_the_term()
    {
        var turn = new TurnBuilder();
        var errant = turn.Memory() with
        {
            Errant = new ErrantMemory("0-100-11", 1, "0-100-10", 1, false),
        };

        var plan = Decide(turn, errant);

        Assert.Equal([new SetPrimary(false)], plan.Actions);
        Assert.Equal(1, plan.Memory.Terms.Followed);
        Assert.False(plan.Memory.Errant.IsErrant);
        Assert.Equal("following mysql-0 in term 1", plan.Sentence);
    }

    [Fact]
    public void A_new_term_with_no_fork_point_stops_fetching_once_then_waits()
    {
        var turn = NewTermOf("mysql-2", recorded: false);

        var first = Decide(
            turn,
            turn.Memory() with
            {
                Terms = TermMemory.None with { Followed = 1 },
            }
        );
        Assert.Equal(
            [
                new SetPrimary(false),
                new StopFetching(turn.Build().Lease!, TurnBuilder.PrimaryOf(0)),
            ],
            first.Actions
        );

        var second = ElectionDecision.Decide(turn.Build(), first.Memory, Policy);
        Assert.Equal([new SetPrimary(false)], second.Actions);
        Assert.Contains(
            "waiting for mysql-2 to record the fork point of term 2",
            second.Sentence,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void A_follower_rejoins_the_new_holder_at_the_fork_point_of_the_first_term_after_its_own()
    {
        var turn = NewTermOf("mysql-2", recorded: true);

        var plan = Decide(
            turn,
            turn.Memory() with
            {
                Terms = TermMemory.None with { Followed = 1 },
            }
        );

        var follow = Assert.IsType<Follow>(plan.Actions[^1]);
        Assert.Equal(
            ("mysql-2", 2, 2L, 2L),
            (follow.Holder, follow.HolderOrdinal, follow.Term, follow.Fork.Term)
        );
        Assert.Equal(TurnBuilder.PrimaryOf(2), follow.Source);
    }

    [Fact]
    public void A_fresh_clone_being_set_up_is_left_to_the_setup_service()
    {
        var turn = NewTermOf("mysql-2", recorded: true)
            .WithLocal(TurnBuilder.Replica(null))
            .SetupBusy();

        Assert.Equal([new SetPrimary(false)], Decide(turn).Actions);
    }

    [Fact]
    public void A_follower_whose_mysqld_is_down_only_stops_calling_itself_primary()
    {
        var plan = Decide(new TurnBuilder().MysqldDown().Writable());

        Assert.Equal([new SetPrimary(false)], plan.Actions);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_follower_with_no_holder_to_follow_follows_nobody(string? holder)
    {
        var lease = holder is null
            ? null
            : TurnBuilder.Lease(holder, 2, TurnBuilder.Fork(1, "mysql-0"));

        var plan = Decide(new TurnBuilder().Following(ElectionEvent.NotRacing).WithLease(lease));

        Assert.Equal([new SetPrimary(false)], plan.Actions);
    }

    [Fact]
    public void Errant_with_re_clone_on_requests_it_exactly_once()
    {
        var found = new ActionOutcome.FoundErrant("0-100-11", 1, "0-100-10", 2, 2);
        var memory = ElectionMemory.Initial.After(found);
        var reclone = TurnBuilder.Policy(reclone: true);

        Assert.Equal(
            [new RequestReclone(2, 2, "0-100-11")],
            ElectionDecision.FollowUp(found, memory, reclone)
        );
        var asked = memory.After(ActionOutcome.RecloneAsked.Instance);
        Assert.Empty(ElectionDecision.FollowUp(found, asked, reclone));
        Assert.Empty(ElectionDecision.FollowUp(found, memory, Policy));
        Assert.True(asked.Errant.IsErrant);
    }

    [Fact]
    public void A_re_clone_asked_for_stays_asked_for_when_the_errant_state_clears()
    {
        var asked = ElectionMemory
            .Initial.After(new ActionOutcome.FoundErrant("0-100-11", 1, "0-100-10", 2, 2))
            .After(ActionOutcome.RecloneAsked.Instance)
            .After(new ActionOutcome.Followed(3));

        Assert.False(asked.Errant.IsErrant);
        Assert.True(asked.Errant.RecloneRequested);
        Assert.Equal(3, asked.Terms.Followed);
    }

    [Fact]
    public void A_Lease_won_in_a_race_counts_one_failover_when_promoted()
    {
        var plan = Decide(Winner());

        var promoted = plan.Memory.After(new ActionOutcome.Promoted(2, "0-100-20"));

        Assert.True(promoted.Promoted);
        Assert.Equal((2L, 2L), (promoted.Terms.Promoted, promoted.Terms.Followed));
        Assert.True(promoted.DoneIn(OncePerTerm.FailoverCounted, 2));
    }

    [Fact]
    public void A_Lease_handed_over_by_a_primary_that_promoted_counts_no_failover()
    {
        // The detail reads like a race's: only the acquisition value decides.
        var turn = Winner()
            .Leading(ElectionEvent.Acquired, LeaseAcquisition.HandedOver, detail: "won the race");

        var promoted = Decide(turn).Memory.After(new ActionOutcome.Promoted(2, "0-100-20"));

        Assert.False(promoted.DoneIn(OncePerTerm.FailoverCounted, 2));
    }

    [Fact]
    public void A_Lease_handed_over_by_a_race_winner_that_never_promoted_counts_a_failover()
    {
        // mysql-2 won term 2 and handed it to mysql-1 in term 3: term 2 has no fork point.
        var lease = TurnBuilder.Lease("mysql-1", 3, TurnBuilder.Fork(1, "mysql-0"));
        var turn = Winner()
            .Leading(
                ElectionEvent.Acquired,
                LeaseAcquisition.HandedOver,
                detail: "handed over to me in term 3"
            )
            .WithLease(lease);

        var promoted = Decide(turn).Memory.After(new ActionOutcome.Promoted(3, "0-100-20"));

        Assert.True(promoted.DoneIn(OncePerTerm.FailoverCounted, 3));
    }

    [Fact]
    public void A_created_Lease_counts_no_failover()
    {
        var turn = Winner()
            .Leading(ElectionEvent.Created, LeaseAcquisition.Created)
            .WithLease(TurnBuilder.Lease("mysql-1", 1));

        var promoted = Decide(turn).Memory.After(new ActionOutcome.Promoted(1, "0-100-1"));

        Assert.False(promoted.DoneIn(OncePerTerm.FailoverCounted, 1));
    }

    [Fact]
    public void A_lost_Lease_stops_calling_itself_primary_before_it_fences()
    {
        var step = new ElectionStep(
            ElectorRole.Follower,
            ElectionEvent.FenceNow,
            Won,
            true,
            "no renewal for 10 s"
        );
        var memory = new TurnBuilder().Memory() with { Promoted = true, DownSince = 7 };

        var plan = ElectionDecision.LoseLease(step, memory);

        Assert.Equal(
            [new SetPrimary(false), new FenceSelf("no renewal for 10 s", false)],
            plan.Actions
        );
        Assert.Null(plan.Memory.DownSince);
    }

    [Theory]
    [InlineData(true, false, false, true)]
    [InlineData(true, false, true, true)]
    [InlineData(true, true, false, true)]
    [InlineData(false, false, true, false)]
    [InlineData(true, false, false, false)]
    public void A_lost_Lease_fences_only_a_server_that_could_be_writable(
        bool up,
        bool promoted,
        bool writable,
        bool fences
    )
    {
        var local = up
            ? TurnBuilder.Replica(null) with
            {
                Writable = writable,
            }
            : LocalServerState.Down("Connection refused");
        var memory = ElectionMemory.Initial with { Local = local, Promoted = promoted };
        var step = new ElectionStep(ElectorRole.Follower, ElectionEvent.FenceNow, Won, false, null);

        var plan = ElectionDecision.LoseLease(step, memory);

        Assert.Equal(fences && (promoted || writable), plan.Actions.Any(a => a is FenceSelf));
        Assert.Equal(new SetPrimary(false), plan.Actions[0]);
    }

    [Fact]
    public void A_fence_that_set_read_only_is_remembered_in_the_local_state()
    {
        var memory = ElectionMemory.Initial with
        {
            Local = TurnBuilder.Replica(null) with { Writable = true },
        };

        Assert.False(memory.After(new ActionOutcome.Fenced(true)).Local.Writable);
        Assert.True(memory.After(new ActionOutcome.Fenced(false)).Local.Writable);
    }

    [Fact]
    public void Setting_the_role_reads_the_semi_sync_state_again()
    {
        var memory = ElectionMemory.Initial with
        {
            Promoted = true,
            SemiSync = SemiSyncSourceState.On,
        };

        var demoted = memory.After(new ActionOutcome.RoleSet(false));

        Assert.False(demoted.Promoted);
        Assert.Null(demoted.SemiSync);
    }

    [Fact]
    public void The_followed_term_is_inferred_from_the_replication_source_when_not_remembered()
    {
        var lease = TurnBuilder.Lease(
            "mysql-2",
            3,
            TurnBuilder.Fork(1, "mysql-0"),
            TurnBuilder.Fork(2, "mysql-0"),
            TurnBuilder.Fork(3, "mysql-2")
        );

        Assert.Equal(
            2,
            ElectionDecision.FollowedTerm(lease, TermMemory.None, TurnBuilder.Replica(0), Policy)
        );
        Assert.Equal(
            3,
            ElectionDecision.FollowedTerm(lease, TermMemory.None, TurnBuilder.Replica(2), Policy)
        );
        Assert.Equal(
            0,
            ElectionDecision.FollowedTerm(lease, TermMemory.None, TurnBuilder.Replica(null), Policy)
        );
        Assert.Equal(
            1,
            ElectionDecision.FollowedTerm(
                lease,
                TermMemory.None with
                {
                    Followed = 1,
                },
                TurnBuilder.Replica(2),
                Policy
            )
        );
    }

    [Theory]
    [InlineData(1, false, false, false, true)]
    [InlineData(2, false, false, false, false)]
    [InlineData(1, true, false, false, false)]
    [InlineData(1, false, true, false, false)]
    [InlineData(1, false, false, true, false)]
    public void A_follower_must_rejoin_when_it_follows_an_older_term_and_nothing_stops_it(
        long followed,
        bool errant,
        bool setupBusy,
        bool down,
        bool expected
    )
    {
        var lease = TurnBuilder.Lease("mysql-2", 2, TurnBuilder.Fork(2, "mysql-2"));
        var memory = ElectionMemory.Initial with
        {
            Local = down ? LocalServerState.Down("x") : TurnBuilder.Replica(0),
            Terms = TermMemory.None with { Followed = followed },
            Errant = errant
                ? new ErrantMemory("0-100-11", 1, "0-100-10", 2, false)
                : ErrantMemory.None,
        };

        Assert.Equal(expected, ElectionDecision.MustRejoin(lease, memory, setupBusy, Policy));
    }

    [Fact]
    public void The_holder_is_woken_at_its_renew_deadline_when_it_falls_before_the_retry_period()
    {
        var timings = ElectionTimings.Default;
        var half = timings.RetryPeriod / 2;

        Assert.Equal(
            half,
            ElectionDecision.WakeAfter(ElectorRole.Leader, Won, half, null, false, timings)
        );
        Assert.Null(
            ElectionDecision.WakeAfter(
                ElectorRole.Leader,
                Won,
                timings.RetryPeriod * 3,
                null,
                true,
                timings
            )
        );
    }

    [Fact]
    public void A_follower_steps_fast_while_the_primary_changes_and_just_after_expiry()
    {
        var timings = ElectionTimings.Default;
        var lease = TurnBuilder.Lease("mysql-0", 1);
        var soon = TimeSpan.FromMilliseconds(500);
        TimeSpan? Wake(LeaseRecord l, TimeSpan? expiry, bool rejoin) =>
            ElectionDecision.WakeAfter(ElectorRole.Follower, l, null, expiry, rejoin, timings);

        Assert.Null(Wake(lease, timings.LeaseDuration, false));
        Assert.Equal(ElectionDecision.FastStep, Wake(lease, timings.LeaseDuration, true));
        Assert.Equal(
            ElectionDecision.FastStep,
            Wake(lease with { Switchover = new SwitchoverRequest(null, 1) }, null, false)
        );
        Assert.Equal(soon + ElectionDecision.ExpiryMargin, Wake(lease, soon, false));
        Assert.Equal(ElectionDecision.FastStep, Wake(lease, -soon, false));
        Assert.Null(Wake(lease, -timings.LeaseDuration * 2, false));
        Assert.Null(Wake(lease with { Paused = true }, soon, false));
    }

    [Fact]
    public void Every_plan_says_in_one_sentence_what_its_turn_does()
    {
        var turns = new[]
        {
            Winner(),
            Winner().Self(10).Peer(Pods.Status(2, sequence: 12)),
            new TurnBuilder(),
            new TurnBuilder().Writable(),
            new TurnBuilder().MysqldDown(),
            NewTermOf("mysql-2", recorded: false),
            NewTermOf("mysql-2", recorded: true),
            NewTermOf("mysql-2", recorded: true).WithLocal(TurnBuilder.Replica(null)).SetupBusy(),
        };

        var sentences = turns.Select(t => Decide(t).Sentence).ToList();
        Assert.All(sentences, s => Assert.False(string.IsNullOrWhiteSpace(s)));
        Assert.Equal(sentences.Distinct(), sentences);
    }

    /// <summary>mysql-1, promoted primary of term 2 (writable), with <paramref name="request"/> pending.</summary>
    private static TurnBuilder PrimaryOfTerm2(SwitchoverRequest? request) =>
        new TurnBuilder()
            .Leading()
            .WithLease(
                TurnBuilder.Lease(
                    "mysql-1",
                    2,
                    TurnBuilder.Fork(1, "mysql-0"),
                    TurnBuilder.Fork(2, "mysql-1")
                ) with
                {
                    Switchover = request,
                }
            )
            .Writable()
            .Self(20, followedTerm: 2)
            .Peer(Pods.Status(0, sequence: 20, followedTerm: 2))
            .Peer(Pods.Status(2, sequence: 20, followedTerm: 2));

    private static ElectionMemory PromotedMemory(TurnBuilder turn) =>
        turn.Memory() with
        {
            Promoted = true,
            Terms = new TermMemory(2, 2, 2, 2),
        };

    /// <summary>mysql-2 holds term 2 after mysql-0's term 1; mysql-1 still replicates from mysql-0.</summary>
    private static TurnBuilder NewTermOf(string holder, bool recorded) =>
        new TurnBuilder()
            .WithLease(
                recorded
                    ? TurnBuilder.Lease(
                        holder,
                        2,
                        TurnBuilder.Fork(1, "mysql-0"),
                        TurnBuilder.Fork(2, holder)
                    )
                    : TurnBuilder.Lease(holder, 2, TurnBuilder.Fork(1, "mysql-0"))
            )
            .WithLocal(TurnBuilder.Replica(0));
}
