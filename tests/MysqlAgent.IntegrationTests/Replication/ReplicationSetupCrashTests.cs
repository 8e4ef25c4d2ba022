using System.Text.RegularExpressions;
using MysqlAgent.Faults;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>
/// The example's at-most-once is not crash-safe: dying between START SLAVE and the rename re-runs
/// CHANGE MASTER. Here the real binary kills itself (SIGKILL) at every step of the setup, is started
/// again, and replication must end exactly as if nothing had happened.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReplicationSetupCrashTests(SharedPrimary shared, ITestOutputHelper output)
    : IClassFixture<SharedPrimary>
{
    private const int SigKillExitCode = 128 + 9;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    /// <summary>MariaDB's setup: STOP, RESET ALL, [SET gtid_slave_pos,] CHANGE MASTER, START.</summary>
    private static int StatementCount(string mode) => mode == "gtid" ? 5 : 4;

    public static TheoryData<string, string> CrashPoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in new[] { "gtid", "file-position" })
        {
            for (var i = 0; i < StatementCount(mode); i++)
            {
                data.Add(mode, $"setup-statement-{i}");
            }

            data.Add(mode, "setup-before-marker");
            data.Add(mode, "setup-after-marker");
        }

        return data;
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(CrashPoints))]
    public async Task A_crash_at_any_step_of_the_setup_ends_in_correct_replication_without_a_second_change_of_source(
        string mode,
        string crashPoint
    )
    {
        var primary = shared.Server;
        var database = "crash_" + Regex.Replace($"{mode}_{crashPoint}", "[^a-z0-9]", "_");
        var table = await Primaries.CreateTableAsync(primary, database);
        await ReplicaProbe.InsertRowsAsync(primary, table, 1, 20);
        await using var replica = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );
        var marker = Path.Combine(replica.DataDir, ReplicationSetupMarker.FileName);
        var arguments = AgentArguments.For(1, replica, primary, mode);

        // First run: dies at the crash point.
        string firstOutput;
        await using (var first = AgentProcess.Start(arguments, crashAt: crashPoint))
        {
            var exitCode = await first.WaitForExitAsync(Wait);
            firstOutput = first.Output;
            output.WriteLine($"--- first run (exit {exitCode}) ---\n{firstOutput}");
            Assert.Equal(SigKillExitCode, exitCode);
        }

        Assert.Contains(
            $"crash point '{crashPoint}' reached",
            firstOutput,
            StringComparison.Ordinal
        );
        var executedBeforeCrash = Regex.Count(firstOutput, "replication setup: running ");
        var statements = StatementCount(mode);
        var expectedExecuted = crashPoint.StartsWith("setup-statement-", StringComparison.Ordinal)
            ? int.Parse(
                crashPoint["setup-statement-".Length..],
                System.Globalization.CultureInfo.InvariantCulture
            )
            : statements;
        Assert.Equal(expectedExecuted, executedBeforeCrash);
        Assert.Equal(crashPoint == "setup-after-marker", File.Exists(marker));
        var changeRan = expectedExecuted > statements - 2; // CHANGE MASTER is the second-last statement

        // Rows written while the agent is dead.
        await ReplicaProbe.InsertRowsAsync(primary, table, 21, 20);

        // Second run, no crash point.
        await using (
            var second = AgentProcess.Start(
                arguments with
                {
                    HttpPort = FreePorts.Next(),
                    BackupPort = FreePorts.Next(),
                }
            )
        )
        {
            var attempts = await second.WaitForSetupResultAsync(Wait);
            var secondOutput = second.Output;
            output.WriteLine($"--- second run ---\n{secondOutput}");
            var (expectedAction, expectedResult) = crashPoint switch
            {
                "setup-after-marker" => (SetupAction.AlreadyDone, "already_configured"),
                "setup-before-marker" => (SetupAction.RecordExisting, "success"),
                _ when expectedExecuted == statements - 1 => (
                    SetupAction.StartConfigured,
                    "success"
                ),
                _ => (SetupAction.ConfigureAndStart, "success"),
            };
            Assert.Contains(
                $"replication setup: {expectedAction} (",
                secondOutput,
                StringComparison.Ordinal
            );
            Assert.Equal(1, attempts.GetValueOrDefault(expectedResult));
            Assert.DoesNotContain("permanent_error", attempts.Keys);
            if (changeRan)
            {
                Assert.DoesNotContain(
                    "running CHANGE MASTER",
                    secondOutput,
                    StringComparison.Ordinal
                );
            }

            Assert.True(File.Exists(marker), "the marker exists after the second run");

            await ReplicaProbe.InsertRowsAsync(primary, table, 41, 20);
            await ReplicaProbe.WaitForSameRowsAsync(primary, replica, table, Wait);
        }

        var status = await ReplicaProbe.SlaveStatusAsync(replica);
        output.WriteLine(ReplicaProbe.Describe(status));
        Assert.Equal(60L, await replica.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        Assert.Equal(
            await ReplicaProbe.ChecksumAsync(primary, table),
            await ReplicaProbe.ChecksumAsync(replica, table)
        );
        Assert.Equal("0", status["Last_SQL_Errno"]);
        Assert.Equal("0", status["Last_IO_Errno"]);
        Assert.Equal("Yes", status["Slave_SQL_Running"]);
        Assert.Equal(mode == "gtid" ? "Slave_Pos" : "No", status["Using_Gtid"]);
    }

    [Fact]
    public void The_crash_point_variable_is_the_one_the_tests_set() =>
        Assert.Equal("MYSQL_AGENT_CRASH_AT", CrashPoint.EnvironmentName);
}
