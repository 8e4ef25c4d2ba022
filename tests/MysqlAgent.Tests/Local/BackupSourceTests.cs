using System.Runtime.Versioning;
using MysqlLocal.Commands;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlAgent.Tests.Local;

[SupportedOSPlatform("linux")]
public sealed class BackupSourceTests
{
    [Fact]
    public void The_ready_replica_with_the_least_lag_is_backed_up()
    {
        Assert.Equal(
            2,
            BackupSource.Choose([
                Row(0, "primary", true, null),
                Row(1, "replica", true, 4),
                Row(2, "replica", true, 0),
            ])
        );
    }

    [Fact]
    public void An_unready_or_frozen_replica_is_passed_over_for_the_primary()
    {
        Assert.Equal(
            1,
            BackupSource.Choose([
                Row(0, "replica", false, 0),
                Row(1, "primary", true, null),
                Row(2, "replica", true, 0) with
                {
                    Frozen = true,
                },
            ])
        );
    }

    [Fact]
    public void A_replica_whose_lag_is_unknown_is_not_chosen_and_nothing_ready_is_no_choice()
    {
        Assert.Equal(
            0,
            BackupSource.Choose([Row(0, "primary", true, null), Row(1, "replica", true, null)])
        );
        Assert.Null(
            BackupSource.Choose([Row(0, "primary", false, null), Row(1, "replica", false, 0)])
        );
    }

    private static PodStatusRow Row(int ordinal, string role, bool ready, long? lag) =>
        new()
        {
            Name = SetPaths.PodName(ordinal),
            Ordinal = ordinal,
            Generation = 0,
            Phase = "Running",
            Ready = ready,
            Role = role,
            LagSeconds = lag,
            Host = "127.0.0.1",
            Ports = PodPorts.For(PodPorts.DefaultBase, ordinal),
            Containers = [],
        };
}
