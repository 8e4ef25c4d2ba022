using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Tests.Replication.Setup;

public sealed class SetupDecisionTests
{
    public static TheoryData<bool, bool, bool, bool, bool, SetupAction> Table =>
        new()
        {
            // done marker, started marker, source configured, threads running, clone info files => action
            { false, false, false, false, false, SetupAction.ConfigureAndStart },
            { false, false, false, false, true, SetupAction.ConfigureAndStart },
            { false, false, false, true, false, SetupAction.ConfigureAndStart },
            { false, false, false, true, true, SetupAction.ConfigureAndStart },
            { false, false, true, false, false, SetupAction.StartConfigured },
            { false, false, true, false, true, SetupAction.ConfigureAndStart },
            { false, false, true, true, false, SetupAction.RecordExisting },
            { false, false, true, true, true, SetupAction.ConfigureAndStart },
            { false, true, false, false, false, SetupAction.ConfigureAndStart },
            { false, true, false, false, true, SetupAction.ConfigureAndStart },
            { false, true, false, true, false, SetupAction.ConfigureAndStart },
            { false, true, false, true, true, SetupAction.ConfigureAndStart },
            { false, true, true, false, false, SetupAction.StartConfigured },
            { false, true, true, false, true, SetupAction.StartConfigured },
            { false, true, true, true, false, SetupAction.RecordExisting },
            { false, true, true, true, true, SetupAction.RecordExisting },
            { true, false, false, false, false, SetupAction.MarkerWithoutSource },
            { true, false, false, false, true, SetupAction.MarkerWithoutSource },
            { true, false, false, true, false, SetupAction.MarkerWithoutSource },
            { true, false, false, true, true, SetupAction.MarkerWithoutSource },
            { true, false, true, false, false, SetupAction.AlreadyDone },
            { true, false, true, false, true, SetupAction.AlreadyDone },
            { true, false, true, true, false, SetupAction.AlreadyDone },
            { true, false, true, true, true, SetupAction.AlreadyDone },
            { true, true, false, false, false, SetupAction.MarkerWithoutSource },
            { true, true, false, false, true, SetupAction.MarkerWithoutSource },
            { true, true, false, true, false, SetupAction.MarkerWithoutSource },
            { true, true, false, true, true, SetupAction.MarkerWithoutSource },
            { true, true, true, false, false, SetupAction.AlreadyDone },
            { true, true, true, false, true, SetupAction.AlreadyDone },
            { true, true, true, true, false, SetupAction.AlreadyDone },
            { true, true, true, true, true, SetupAction.AlreadyDone },
        };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_combination_of_markers_server_state_and_clone_files_gives_one_action(
        bool done,
        bool started,
        bool sourceConfigured,
        bool threadsRunning,
        bool cloneInfo,
        SetupAction expected
    ) =>
        Assert.Equal(
            expected,
            SetupDecision.Decide(done, started, sourceConfigured, threadsRunning, cloneInfo)
        );

    [Fact]
    public void The_table_covers_all_combinations() =>
        Assert.Equal(
            32,
            Table.Select(row => (row[0], row[1], row[2], row[3], row[4])).Distinct().Count()
        );

    [Fact]
    public void A_source_we_configured_or_a_done_marker_never_leads_to_a_new_change_of_source()
    {
        foreach (var running in new[] { false, true })
        {
            foreach (var cloneInfo in new[] { false, true })
            {
                // Our started marker and a source: the source is ours.
                Assert.NotEqual(
                    SetupAction.ConfigureAndStart,
                    SetupDecision.Decide(false, true, true, running, cloneInfo)
                );
                foreach (var started in new[] { false, true })
                {
                    foreach (var source in new[] { false, true })
                    {
                        Assert.NotEqual(
                            SetupAction.ConfigureAndStart,
                            SetupDecision.Decide(true, started, source, running, cloneInfo)
                        );
                    }
                }
            }
        }
    }

    [Fact]
    public void A_source_inherited_with_a_clone_is_replaced_but_one_configured_by_hand_is_adopted()
    {
        Assert.Equal(
            SetupAction.ConfigureAndStart,
            SetupDecision.Decide(false, false, true, true, cloneInfoPresent: true)
        );
        Assert.Equal(
            SetupAction.RecordExisting,
            SetupDecision.Decide(false, false, true, true, cloneInfoPresent: false)
        );
    }
}
