using MysqlAgent.Election;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Tests.Election;

public sealed class CandidateRulesTests
{
    private const string U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private const string U2 = "4f22ab58-82db-22f2-af44-d91bb0530673";

    private static readonly LeaseRecord Term1 = new(
        "mysql-0",
        1,
        DateTimeOffset.UnixEpoch,
        [],
        null,
        false
    );

    private static GtidProgress MySql(string executed, string retrieved = "") =>
        GtidProgress.MySql(MysqlGtidSet.Parse(executed), MysqlGtidSet.Parse(retrieved));

    private static GtidProgress Maria(string current, string io = "") =>
        GtidProgress.MariaDb(MariaDbGtidPosition.Parse(current), MariaDbGtidPosition.Parse(io));

    [Theory]
    [InlineData($"{U1}:1-10", $"{U1}:1-10", ProgressOrder.Same)]
    [InlineData($"{U1}:1-12", $"{U1}:1-10", ProgressOrder.Ahead)]
    [InlineData($"{U1}:1-10", $"{U1}:1-10,{U2}:1", ProgressOrder.Behind)]
    [InlineData($"{U1}:1-10,{U2}:1", $"{U1}:1-11", ProgressOrder.Diverged)]
    [InlineData($"{U1}:1-5:7-10", $"{U1}:1-10", ProgressOrder.Behind)]
    [InlineData($"{U1}:1-10:a:1-3", $"{U1}:1-10:a:1-2", ProgressOrder.Ahead)]
    [InlineData($"{U1}:1-10:a:1-3", $"{U1}:1-10:b:1", ProgressOrder.Diverged)]
    [InlineData("", $"{U1}:1", ProgressOrder.Behind)]
    public void MySql_positions_compare_as_GTID_sets(
        string self,
        string other,
        ProgressOrder expected
    )
    {
        Assert.Equal(expected, GtidProgress.Compare(MySql(self), MySql(other)));
    }

    [Fact]
    public void MySql_progress_counts_the_retrieved_set_not_yet_applied()
    {
        var applying = MySql($"{U1}:1-10", $"{U1}:8-14");

        Assert.Equal(ProgressOrder.Ahead, GtidProgress.Compare(applying, MySql($"{U1}:1-12")));
        Assert.Equal(ProgressOrder.Same, GtidProgress.Compare(applying, MySql($"{U1}:1-14")));
    }

    [Theory]
    [InlineData("0-100-10", "", "0-100-10", ProgressOrder.Same)]
    [InlineData("0-100-10", "0-100-14", "0-101-12", ProgressOrder.Ahead)]
    [InlineData("0-100-10,1-100-3", "", "0-100-10", ProgressOrder.Ahead)]
    [InlineData("0-100-10", "", "0-100-9,1-100-1", ProgressOrder.Diverged)]
    [InlineData("0-100-9", "", "0-102-10", ProgressOrder.Behind)]
    public void MariaDb_positions_compare_per_domain_by_sequence(
        string current,
        string io,
        string other,
        ProgressOrder expected
    )
    {
        Assert.Equal(expected, GtidProgress.Compare(Maria(current, io), Maria(other)));
    }

    [Fact]
    public void Positions_of_the_two_families_do_not_compare()
    {
        Assert.Throws<ArgumentException>(() =>
            GtidProgress.Compare(MySql($"{U1}:1"), Maria("0-1-1"))
        );
    }

    [Theory]
    [InlineData($"{U1}:1-10", $"{U1}:1-10", 0UL)]
    [InlineData($"{U1}:1-10", $"{U1}:1-5", 5UL)]
    [InlineData($"{U1}:1-10,{U2}:1-3", $"{U1}:1-4:6-10", 4UL)]
    [InlineData($"{U1}:1-10:a:1-3", $"{U1}:1-10", 3UL)]
    [InlineData("", $"{U1}:1-10", 0UL)]
    [InlineData($"{U1}:1-10", "", 10UL)]
    public void MySql_lag_counts_the_GTIDs_of_the_recorded_set_a_server_lacks(
        string recorded,
        string server,
        ulong missing
    )
    {
        Assert.Equal(missing, MySql(server).CountMissing(MySql(recorded)));
    }

    [Theory]
    [InlineData("0-100-10,1-100-5", "0-100-7", 8UL)]
    [InlineData("0-100-10", "0-101-12", 0UL)]
    [InlineData("0-100-10", "0-100-10", 0UL)]
    public void MariaDb_lag_counts_per_domain_how_far_the_sequence_is_behind(
        string recorded,
        string server,
        ulong missing
    )
    {
        Assert.Equal(missing, Maria(server).CountMissing(Maria(recorded)));
    }

    [Fact]
    public void A_candidate_lacking_more_of_the_recorded_position_than_the_bound_is_not_eligible()
    {
        var lease = Term1 with { Position = new RecordedPosition("mariadb", "0-100-40") };

        var far = CandidateRules.Ineligibility(Pods.Status(1, 30), lease, maxLag: 9);
        var atTheBound = CandidateRules.Ineligibility(Pods.Status(1, 31), lease, maxLag: 9);
        var unbounded = CandidateRules.Ineligibility(Pods.Status(1, 30), lease);
        var nothingRecorded = CandidateRules.Ineligibility(Pods.Status(1, 30), Term1, maxLag: 9);

        Assert.Equal(
            "it lacks 10 transactions of the position the primary last recorded, more than --max-lag-on-failover 9 (to fail over anyway, remove the Lease annotation mysql-agent.io/position)",
            Assert.Single(far)
        );
        Assert.Empty(atTheBound);
        Assert.Empty(unbounded);
        Assert.Empty(nothingRecorded);
        Assert.Equal(10UL, CandidateRules.LagBehindRecorded(Pods.Status(1, 30), lease));
        Assert.Null(CandidateRules.LagBehindRecorded(Pods.Status(1, 30), Term1));
    }

    [Fact]
    public void A_recorded_position_of_the_other_family_or_unreadable_sets_no_bound()
    {
        var mysql = Term1 with { Position = new RecordedPosition("mysql", $"{U1}:1-40") };
        var garbled = Term1 with { Position = new RecordedPosition("mariadb", "not a position") };

        Assert.Empty(CandidateRules.Ineligibility(Pods.Status(1, 1), mysql, maxLag: 0));
        Assert.Empty(CandidateRules.Ineligibility(Pods.Status(1, 1), garbled, maxLag: 0));
    }

    [Fact]
    public void An_eligible_candidate_has_no_reason_against_it()
    {
        Assert.Empty(CandidateRules.Ineligibility(Pods.Status(1), Term1));
    }

    [Fact]
    public void Every_reason_against_a_candidate_is_named()
    {
        var candidate = Pods.Status(1, followedTerm: 0, up: false, errant: true, priority: 0) with
        {
            Progress = null,
        };

        var reasons = CandidateRules.Ineligibility(candidate, Term1 with { Paused = true });

        Assert.Equal(
            [
                "mysqld is down",
                "it has errant transactions",
                "it followed term 0, the current term is 1",
                "its GTID position is unknown",
                "its failover priority is 0",
                "failover is paused",
            ],
            reasons
        );
    }

    [Fact]
    public void A_candidate_with_no_peer_ahead_races()
    {
        var decision = CandidateRules.ShouldRace(Pods.Status(2, 12), [Pods.Status(1, 10)], Term1);

        Assert.True(decision.Race, decision.Reason);
    }

    [Fact]
    public void A_candidate_behind_an_eligible_peer_does_not_race()
    {
        var decision = CandidateRules.ShouldRace(Pods.Status(1, 10), [Pods.Status(2, 12)], Term1);

        Assert.False(decision.Race);
        Assert.StartsWith("mysql-2 is ahead", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_ahead_but_not_eligible_does_not_stop_the_race()
    {
        var errantAhead = Pods.Status(2, 50, errant: true);
        var staleAhead = Pods.Status(3, 50, followedTerm: 0);

        var decision = CandidateRules.ShouldRace(
            Pods.Status(1, 10),
            [errantAhead, staleAhead],
            Term1
        );

        Assert.True(decision.Race, decision.Reason);
    }

    [Fact]
    public void The_holder_being_replaced_is_no_rival_however_far_it_got()
    {
        var decision = CandidateRules.ShouldRace(Pods.Status(1), [Pods.Status(0, 20)], Term1);

        Assert.True(decision.Race, decision.Reason);
    }

    [Fact]
    public void Among_equals_the_higher_priority_then_the_lower_ordinal_races()
    {
        Assert.False(CandidateRules.ShouldRace(Pods.Status(2), [Pods.Status(1)], Term1).Race);
        Assert.True(CandidateRules.ShouldRace(Pods.Status(1), [Pods.Status(2)], Term1).Race);
        Assert.True(
            CandidateRules.ShouldRace(Pods.Status(2, priority: 5), [Pods.Status(1)], Term1).Race
        );
    }

    [Fact]
    public void Diverged_candidates_leave_the_choice_to_an_operator()
    {
        var self = Pods.Status(1) with { Progress = Maria("0-100-10,1-100-1") };
        var peer = Pods.Status(2) with { Progress = Maria("0-100-11") };

        var decision = CandidateRules.ShouldRace(self, [peer], Term1);

        Assert.False(decision.Race);
        Assert.Contains("diverged from mysql-2", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ineligible_candidate_does_not_race_and_says_why()
    {
        var decision = CandidateRules.ShouldRace(Pods.Status(1, up: false), [], Term1);

        Assert.False(decision.Race);
        Assert.Equal("not eligible: mysqld is down", decision.Reason);
    }

    [Fact]
    public void After_winning_the_Lease_goes_to_a_more_advanced_eligible_replica()
    {
        var won = Term1 with { Holder = "mysql-1", Term = 2 };
        var self = Pods.Status(1, 10);
        var ahead = Pods.Status(2, 14);
        var furtherButErrant = Pods.Status(3, 20, errant: true);

        Assert.Equal(
            "mysql-2",
            CandidateRules.BetterPeer(self, [ahead, furtherButErrant], won)?.Name
        );
        Assert.Null(CandidateRules.BetterPeer(Pods.Status(1, 14), [Pods.Status(2, 14)], won));
    }

    [Fact]
    public void A_holder_lost_before_it_promoted_leaves_the_followers_of_the_last_primary_eligible()
    {
        TermStart[] history = [new(1, "mysql-0", "0-100-10")];
        // mysql-1 won term 2 and was lost while applying its relay log: no fork point for term 2.
        var unpromoted = Term1 with
        {
            Holder = "mysql-1",
            Term = 2,
            History = history,
        };

        Assert.Empty(CandidateRules.Ineligibility(Pods.Status(2, followedTerm: 1), unpromoted));
        Assert.True(
            CandidateRules.ShouldRace(Pods.Status(2, followedTerm: 1), [], unpromoted).Race
        );

        // Once term 2 had a primary, only its followers qualify.
        var promoted = unpromoted with
        {
            History = [.. history, new(2, "mysql-1", "0-100-12")],
        };
        Assert.Equal(
            ["it followed term 1, the current term is 2"],
            CandidateRules.Ineligibility(Pods.Status(2, followedTerm: 1), promoted)
        );
        Assert.Equal(
            ["it followed term 1, the last primary's term is 2"],
            CandidateRules.Ineligibility(
                Pods.Status(2, followedTerm: 1),
                promoted with
                {
                    Term = 3,
                }
            )
        );
    }

    [Fact]
    public void A_winner_whose_own_mysqld_is_down_has_no_better_peer_to_name()
    {
        var won = Term1 with { Holder = "mysql-1", Term = 2 };
        var down = Pods.Status(1, up: false) with { Progress = null };

        Assert.Null(CandidateRules.BetterPeer(down, [Pods.Status(2, 14)], won));
    }

    [Fact]
    public void A_report_says_apart_what_is_applied_and_what_is_only_received()
    {
        var status = CandidateReports.ToStatus(
            "mysql-2",
            2,
            new MysqlAgent.Health.CandidateDocument
            {
                MysqldUp = true,
                FollowedTerm = 1,
                Flavor = "mariadb",
                Executed = "0-100-10",
                Received = "0-100-14",
            }
        );

        Assert.Equal(ProgressOrder.Same, GtidProgress.Compare(status.Progress!, Maria("0-100-14")));
        Assert.Equal(ProgressOrder.Same, GtidProgress.Compare(status.Applied!, Maria("0-100-10")));
    }
}
