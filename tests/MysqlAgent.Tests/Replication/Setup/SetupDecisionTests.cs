using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Tests.Replication.Setup;

public sealed class SetupDecisionTests
{
    public static TheoryData<bool, bool, bool, SetupAction> Table =>
        new()
        {
            // marker, source configured, threads running => action
            { false, false, false, SetupAction.ConfigureAndStart },
            { false, false, true, SetupAction.ConfigureAndStart },
            { false, true, false, SetupAction.StartConfigured },
            { false, true, true, SetupAction.RecordExisting },
            { true, true, false, SetupAction.AlreadyDone },
            { true, true, true, SetupAction.AlreadyDone },
            { true, false, false, SetupAction.MarkerWithoutSource },
            { true, false, true, SetupAction.MarkerWithoutSource },
        };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_combination_of_marker_source_and_threads_gives_one_action(
        bool marker,
        bool sourceConfigured,
        bool threadsRunning,
        SetupAction expected
    ) => Assert.Equal(expected, SetupDecision.Decide(marker, sourceConfigured, threadsRunning));

    [Fact]
    public void The_table_covers_all_eight_combinations() =>
        Assert.Equal(8, Table.Select(row => (row[0], row[1], row[2])).Distinct().Count());

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void A_configured_source_or_a_marker_never_leads_to_a_new_change_of_source(
        bool marker,
        bool sourceConfigured
    )
    {
        foreach (var running in new[] { false, true })
        {
            Assert.NotEqual(
                SetupAction.ConfigureAndStart,
                SetupDecision.Decide(marker, sourceConfigured, running)
            );
        }
    }
}
