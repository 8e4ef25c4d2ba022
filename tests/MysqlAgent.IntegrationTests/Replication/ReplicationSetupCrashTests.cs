using MysqlAgent.Faults;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>
/// The example's at-most-once is not crash-safe: dying between START SLAVE and the rename re-runs
/// CHANGE MASTER. Here the real binary kills itself (SIGKILL) at every step of the setup on a
/// MariaDB replica, is started again, and replication must end exactly as if nothing had happened
/// (<see cref="SetupCrashScenario"/>; MySQL's twin is in <c>MysqlReplicationTests</c>).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReplicationSetupCrashTests(SharedPrimary shared, ITestOutputHelper output)
    : IClassFixture<SharedPrimary>
{
    public static TheoryData<string, string> CrashPoints() =>
        SetupCrashScenario.CrashPoints(MariaDbSetupCrashPair.Statements);

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(CrashPoints))]
    public async Task A_crash_at_any_step_of_the_setup_ends_in_correct_replication_without_a_second_change_of_source(
        string mode,
        string crashPoint
    )
    {
        await using var pair = await MariaDbSetupCrashPair.CloneAsync(
            shared.Server,
            mode,
            SetupCrashScenario.Database(mode, crashPoint)
        );
        await SetupCrashScenario.RunAsync(pair, crashPoint, output);
    }

    [Fact]
    public void The_crash_point_variable_is_the_one_the_tests_set() =>
        Assert.Equal("MYSQL_AGENT_CRASH_AT", CrashPoint.EnvironmentName);
}
