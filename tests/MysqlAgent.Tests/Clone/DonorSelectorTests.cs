using MysqlAgent.Clone;

namespace MysqlAgent.Tests.Clone;

public sealed class DonorSelectorTests
{
    private static PeerReport Replica(int ordinal, double? lag, bool ready = true) =>
        new(
            ordinal,
            new PeerStatus
            {
                Ready = ready,
                Role = "replica",
                LagSeconds = lag,
            }
        );

    private static PeerReport Primary(int ordinal, bool ready = true) =>
        new(ordinal, new PeerStatus { Ready = ready, Role = "primary" });

    [Fact]
    public void The_ready_replica_with_the_least_lag_is_preferred() =>
        Assert.Equal(
            2,
            DonorSelector.ChooseFallback(
                [Primary(0), Replica(1, 5), Replica(2, 0.5), Replica(3, 2)],
                failingOrdinal: 4
            )
        );

    [Fact]
    public void A_replica_of_unknown_lag_comes_after_replicas_of_known_lag() =>
        Assert.Equal(
            2,
            DonorSelector.ChooseFallback([Replica(1, null), Replica(2, 30)], failingOrdinal: 3)
        );

    [Fact]
    public void The_primary_is_chosen_when_no_replica_is_ready() =>
        Assert.Equal(
            0,
            DonorSelector.ChooseFallback(
                [Primary(0), Replica(1, 0, ready: false), new PeerReport(2, null)],
                failingOrdinal: 3
            )
        );

    [Fact]
    public void The_failing_donor_is_never_chosen_again() =>
        Assert.Equal(
            0,
            DonorSelector.ChooseFallback([Primary(0), Replica(1, 0)], failingOrdinal: 1)
        );

    [Fact]
    public void Nothing_is_chosen_when_no_other_peer_is_ready() =>
        Assert.Null(
            DonorSelector.ChooseFallback(
                [Primary(0, ready: false), new PeerReport(1, null), Replica(2, 0)],
                failingOrdinal: 2
            )
        );

    [Fact]
    public void A_ready_peer_of_unknown_role_comes_after_the_primary() =>
        Assert.Equal(
            0,
            DonorSelector.ChooseFallback(
                [new PeerReport(1, new PeerStatus { Ready = true }), Primary(0)],
                failingOrdinal: 2
            )
        );

    [Fact]
    public void Equal_replicas_go_to_the_lower_ordinal() =>
        Assert.Equal(
            1,
            DonorSelector.ChooseFallback([Replica(2, 1), Replica(1, 1)], failingOrdinal: 3)
        );

    [Theory]
    [InlineData(
        """{"ready":true,"role":"replica","lagSeconds":1.5,"extra":{"x":1}}""",
        true,
        "replica",
        1.5
    )]
    [InlineData("""{"ready":true,"role":"primary","lagSeconds":null}""", true, "primary", null)]
    [InlineData("""{"role":"replica"}""", false, "replica", null)]
    [InlineData("""{}""", false, null, null)]
    public void A_status_document_is_read_tolerantly(
        string json,
        bool ready,
        string? role,
        double? lag
    )
    {
        var status = System.Text.Json.JsonSerializer.Deserialize(
            json,
            PeerStatusJsonContext.Default.PeerStatus
        );

        Assert.Equal(
            new PeerStatus
            {
                Ready = ready,
                Role = role,
                LagSeconds = lag,
            },
            status
        );
    }
}
