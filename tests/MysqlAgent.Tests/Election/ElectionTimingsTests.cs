using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

public sealed class ElectionTimingsTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void The_defaults_are_lease_15_renew_10_retry_2_fence_3_and_pass()
    {
        var defaults = ElectionTimings.Default;

        Assert.Equal(
            (S(15), S(10), S(2), S(3)),
            (
                defaults.LeaseDuration,
                defaults.RenewDeadline,
                defaults.RetryPeriod,
                defaults.FenceBudget
            )
        );
        Assert.Empty(defaults.Problems());
        Assert.Same(defaults, defaults.Validate());
    }

    [Theory]
    [InlineData(
        13,
        10,
        2,
        3,
        "renew deadline + fence budget (10 s + 3 s) must be less than the lease duration (13 s)"
    )]
    [InlineData(
        15,
        2.4,
        2,
        1,
        "renew deadline (2.4 s) must be more than 1.2 x retry period (2.4 s)"
    )]
    [InlineData(15, 10, 2, 0, "fence budget must be positive (it is 0 s)")]
    [InlineData(0, 10, 2, 3, "lease duration must be positive (it is 0 s)")]
    public void An_unsafe_combination_is_refused_with_the_rule_it_breaks(
        double lease,
        double renew,
        double retry,
        double fence,
        string expected
    )
    {
        var timings = new ElectionTimings(S(lease), S(renew), S(retry), S(fence), S(1));

        var error = Assert.Throws<ElectionTimingsException>(() => timings.Validate());

        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        Assert.StartsWith("election timings refused: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var timings = new ElectionTimings(S(5), S(4), S(4), S(3), S(6));

        var error = Assert.Throws<ElectionTimingsException>(() => timings.Validate());

        Assert.Equal(3, error.Problems.Count);
        Assert.All(
            error.Problems,
            p => Assert.Contains(p, error.Message, StringComparison.Ordinal)
        );
    }

    [Fact]
    public void The_elector_refuses_unsafe_timings()
    {
        var unsafeTimings = ElectionTimings.Default with { FenceBudget = S(5) };

        Assert.Throws<ElectionTimingsException>(() =>
            new LeaderElector(
                "mysql-0",
                unsafeTimings,
                new InMemoryLeaseStore(),
                TimeProvider.System
            )
        );
    }
}
