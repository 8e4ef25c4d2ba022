using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Configuration;
using MysqlAgent.Election;
using MysqlAgent.Health;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Setup;
using MysqlAgent.Tests.Health;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Election;

/// <summary>
/// <c>serve</c>'s election options and the role that readiness, <c>/status</c> and the heartbeat
/// follow: ordinal 0 without a store, the Lease with one.
/// </summary>
public sealed class ElectionWiringTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static AgentOptions Read(int ordinal, params string[] args) =>
        AgentOptionsReader.Read(
            OptionValues.Parse(
                ["--hostname", $"mysql-{ordinal}", .. args],
                new AgentSecrets().Environment
            )
        );

    [Fact]
    public void Without_an_option_there_is_no_election_and_the_default_timings()
    {
        var options = Read(1);

        Assert.Equal(LeaseStoreChoice.None, options.LeaseStore);
        Assert.False(options.LeaseStore.Enabled);
        Assert.Equal(ElectionTimings.Default, options.ElectionTimings);
        Assert.Equal(TimeSpan.FromSeconds(10), options.PrimaryStartTimeout);
    }

    [Theory]
    [InlineData("none", LeaseStoreKind.None, null)]
    [InlineData("file:/var/lib/lease", LeaseStoreKind.File, "/var/lib/lease")]
    [InlineData("kubernetes", LeaseStoreKind.Kubernetes, null)]
    public void The_lease_store_is_none_a_folder_or_kubernetes(
        string text,
        LeaseStoreKind kind,
        string? folder
    )
    {
        var store = Read(0, "--lease-store", text).LeaseStore;

        Assert.Equal(new LeaseStoreChoice(kind, folder), store);
        Assert.Equal(text, store.ToString());
    }

    [Theory]
    [InlineData("etcd")]
    [InlineData("file:")]
    [InlineData("File:/x")]
    public void An_unknown_lease_store_is_refused_with_the_choices(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(0, "--lease-store", text));

        Assert.Equal(
            $"--lease-store '{text}' is not none, file:<folder> or kubernetes",
            Assert.Single(error.Problems)
        );
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("semi-sync", true)]
    [InlineData("async", false)]
    public void Durability_is_semi_synchronous_unless_asynchronous_is_asked_for(
        string? text,
        bool semiSync
    )
    {
        string[] durability = text is null ? [] : ["--durability", text];

        Assert.Equal(semiSync, Read(0, ["--lease-store", "file:/tmp/x", .. durability]).SemiSync);
    }

    [Fact]
    public void An_unknown_durability_is_refused_with_the_choices()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            Read(0, "--lease-store", "file:/tmp/x", "--durability", "sync")
        );

        Assert.Equal(
            "--durability 'sync' is not semi-sync or async",
            Assert.Single(error.Problems)
        );
    }

    [Fact]
    public void The_lag_bound_on_failover_is_1000_transactions_unless_set_and_refused_when_not_a_count()
    {
        Assert.Equal(1000UL, Read(0, "--lease-store", "file:/tmp/x").MaxLagOnFailover);
        Assert.Equal(
            0UL,
            Read(0, "--lease-store", "file:/tmp/x", "--max-lag-on-failover", "0").MaxLagOnFailover
        );
        var error = Assert.Throws<ConfigurationException>(() =>
            Read(0, "--lease-store", "file:/tmp/x", "--max-lag-on-failover", "-1")
        );
        Assert.StartsWith(
            "--max-lag-on-failover '-1' is not a whole number from 0 to",
            Assert.Single(error.Problems),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Short_timings_for_tests_may_have_decimals_and_the_store_call_timeout_follows_the_retry_period()
    {
        var options = Read(
            0,
            "--lease-store",
            "file:/tmp/x",
            "--lease-duration-seconds",
            "3",
            "--renew-deadline-seconds",
            "2",
            "--retry-period-seconds",
            "0.5",
            "--fence-budget-seconds",
            "0.5",
            "--primary-start-timeout-seconds",
            "4"
        );

        Assert.Equal(
            new ElectionTimings(
                TimeSpan.FromSeconds(3),
                TimeSpan.FromSeconds(2),
                TimeSpan.FromSeconds(0.5),
                TimeSpan.FromSeconds(0.5),
                TimeSpan.FromSeconds(0.5)
            ),
            options.ElectionTimings
        );
        Assert.Equal(TimeSpan.FromSeconds(4), options.PrimaryStartTimeout);
    }

    [Fact]
    public void Unsafe_timings_refuse_to_start_when_an_election_runs()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            Read(0, "--lease-store", "file:/tmp/x", "--fence-budget-seconds", "5")
        );

        var problem = Assert.Single(error.Problems);
        Assert.Contains(
            "renew deadline + fence budget (10 s + 5 s)",
            problem,
            StringComparison.Ordinal
        );
        Assert.StartsWith("--lease-duration-seconds, ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_number_of_seconds_is_one_problem_naming_the_option()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            Read(0, "--retry-period-seconds", "-1")
        );

        Assert.Equal(
            "--retry-period-seconds '-1' is not a number of seconds above 0 and at most 86400",
            Assert.Single(error.Problems)
        );
    }

    [Fact]
    public void Kubernetes_outside_a_pod_is_refused_before_start()
    {
        var options = Read(0, "--lease-store", "kubernetes");

        var problem = Assert.Single(ElectionRegistration.Validate(options, _ => null));
        Assert.Contains("KUBERNETES_SERVICE_HOST", problem, StringComparison.Ordinal);
        Assert.Empty(
            ElectionRegistration.Validate(
                options,
                name =>
                    name == "KUBERNETES_SERVICE_HOST" ? "10.0.0.1"
                    : name == "POD_NAMESPACE" ? "db"
                    : null
            )
        );
        Assert.Equal("mysql-primary", ElectionRegistration.LeaseName(options));
    }

    [Fact]
    public async Task Peers_are_the_mapped_ordinals_and_the_search_stops_after_two_missing_names()
    {
        // mysql-1 looks for its peers; mysql-2 is missing (a gap), mysql-3 exists, 4 and 5 do not.
        var options = Read(
            1,
            "--http-port",
            "8080",
            "--connect-to",
            "mysql-0.mysql:8080:127.0.0.1:18080",
            "--connect-to",
            "mysql-3.mysql:8080:127.0.0.1:18083",
            "--connect-to",
            "mysql-6.mysql:8080:127.0.0.1:18086"
        );
        using var http = new HttpClient();
        var peers = new PeerCandidates(options, http, TimeProvider.System, TimeSpan.FromSeconds(1));

        Assert.Equal([0, 3], await peers.OrdinalsAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void Without_an_election_ordinal_0_is_the_primary(int ordinal, bool primary)
    {
        var role = new RoleProvider(Read(ordinal), new FakeTimeProvider(At));

        Assert.Equal(primary, role.IsPrimary);
        Assert.Null(role.Lease);
        Assert.Null(role.Candidate);
    }

    [Fact]
    public void With_an_election_a_pod_is_primary_only_once_promoted_and_while_its_lease_is_fresh()
    {
        var time = new FakeTimeProvider(At);
        var role = new RoleProvider(Read(0, "--lease-store", "file:/tmp/x"), time);
        var lease = new LeaseHolder("mysql-0", 1);

        Assert.False(role.IsPrimary);
        role.Observe(lease, TimeSpan.FromSeconds(10));
        Assert.False(role.IsPrimary);
        role.SetPromoted(true);
        Assert.True(role.IsPrimary);
        Assert.Equal(HealthRoles.Primary, role.Role);

        // No renewal seen for the renew deadline: not primary any more, fenced or not.
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(role.IsPrimary);
        role.Observe(lease, TimeSpan.FromSeconds(10));
        Assert.True(role.IsPrimary);

        // A follower (no deadline) is never primary.
        role.Observe(lease with { Holder = "mysql-1", Term = 2 }, null);
        Assert.False(role.IsPrimary);
        Assert.Equal(2, role.Lease!.Term);
    }

    [Fact]
    public async Task The_first_holder_seen_releases_the_replication_setup()
    {
        var role = new RoleProvider(
            Read(1, "--lease-store", "file:/tmp/x"),
            new FakeTimeProvider(At)
        );
        var first = role.FirstHolderAsync(CancellationToken.None);

        role.Observe(new LeaseHolder("", 1), null);
        Assert.False(first.IsCompleted);
        role.Observe(new LeaseHolder("mysql-0", 1), null);

        Assert.Equal("mysql-0", await first);
    }

    [Fact]
    public void An_errant_pod_is_not_ready_whatever_its_server_shows()
    {
        var node = new NodeSnapshot
        {
            CheckedAt = At,
            MysqldUp = true,
            ReadOnly = true,
            Replica = new ReplicaSnapshot("mysql-0.mysql", 3306, "Yes", "Yes", 0, 0, "", 0, ""),
        };
        var setup = new ReplicationSetupSnapshot(ReplicationSetupState.Done, "", At);
        var options = HealthTestOptions.For(1);

        Assert.True(ReadinessRules.Decide(node, setup, options, new RoleView(false, null)).Ready);
        var verdict = ReadinessRules.Decide(
            node,
            setup,
            options,
            new RoleView(false, "errant transactions 0-1-9")
        );
        Assert.False(verdict.Ready);
        Assert.Equal("errant transactions 0-1-9", verdict.Reason);
    }

    [Fact]
    public void A_pod_that_is_not_primary_by_the_lease_is_judged_as_a_replica_even_as_ordinal_0()
    {
        var node = new NodeSnapshot
        {
            CheckedAt = At,
            MysqldUp = true,
            ReadOnly = false,
        };
        var setup = new ReplicationSetupSnapshot(ReplicationSetupState.NotNeeded, "", At);

        var verdict = ReadinessRules.Decide(
            node,
            setup,
            HealthTestOptions.For(0),
            new RoleView(false, null)
        );

        Assert.False(verdict.Ready);
    }

    [Fact]
    public void Status_carries_the_term_the_holder_and_the_candidate_report_that_peers_read_back()
    {
        var node = new NodeSnapshot { CheckedAt = At, MysqldUp = true };
        var setup = new ReplicationSetupSnapshot(ReplicationSetupState.NotNeeded, "", At);
        var candidate = new CandidateDocument
        {
            MysqldUp = true,
            FollowedTerm = 3,
            Flavor = "mariadb",
            Executed = "0-101-42",
            Received = "0-100-44",
        };
        var document = StatusDocument.From(
            node,
            setup,
            ReadinessVerdict.Yes("primary, writable"),
            "mysql-1",
            HealthRoles.Primary,
            0
        ) with
        {
            Term = 3,
            Holder = "mysql-1",
            Candidate = candidate,
        };

        var json = JsonSerializer.Serialize(document, StatusJsonContext.Default.StatusDocument);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(3, root.GetProperty("term").GetInt64());
        Assert.Equal("mysql-1", root.GetProperty("holder").GetString());
        Assert.Equal("0-101-42", root.GetProperty("candidate").GetProperty("executed").GetString());

        var peer = JsonSerializer.Deserialize(
            json,
            PeerElectionJsonContext.Default.PeerElectionStatus
        )!;
        var status = CandidateReports.ToStatus("mysql-1", 1, peer.Candidate!);
        Assert.Equal(3, status.FollowedTerm);
        Assert.True(status.MysqldUp);
        Assert.Equal(
            ProgressOrder.Same,
            GtidProgress.Compare(
                status.Progress!,
                GtidProgress.MariaDb(
                    MariaDbGtidPosition.Parse("0-100-44"),
                    MariaDbGtidPosition.Empty
                )
            )
        );
    }

    [Theory]
    [InlineData("mariadb", "0-1-x", "")]
    [InlineData("mysql", "not-a-set", "")]
    [InlineData(null, "0-1-5", "")]
    public void An_unreadable_position_makes_no_progress_so_the_pod_does_not_race(
        string? flavor,
        string executed,
        string received
    )
    {
        var status = CandidateReports.ToStatus(
            "mysql-2",
            2,
            new CandidateDocument
            {
                MysqldUp = true,
                Flavor = flavor,
                Executed = executed,
                Received = received,
            }
        );

        Assert.Null(status.Progress);
    }
}
