using System.Globalization;
using System.Text.RegularExpressions;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>
/// The crash-safety scenario of the replication setup, for either server family: the real binary
/// kills itself (SIGKILL) at one step of the setup, is started again, and replication must end
/// exactly as if nothing had happened: one change of source over both runs, markers that agree
/// with the server's own state, and the primary's rows applied once.
/// </summary>
public static partial class SetupCrashScenario
{
    public const int SigKillExitCode = 128 + 9;

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private const string StatementPoint = "setup-statement-";

    /// <summary>The agent's log line before each setup statement; with "CHANGE " the change of source
    /// (CHANGE MASTER TO on MariaDB and older MySQL, CHANGE REPLICATION SOURCE TO).</summary>
    private const string Running = "replication setup: running ";

    /// <summary>(mode, crash point) for every step: before each statement, before and after the marker.</summary>
    /// <param name="statementCount">How many statements the setup runs in a mode on this family.</param>
    public static TheoryData<string, string> CrashPoints(Func<string, int> statementCount)
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in new[] { "gtid", "file-position" })
        {
            for (var i = 0; i < statementCount(mode); i++)
            {
                data.Add(mode, string.Create(CultureInfo.InvariantCulture, $"{StatementPoint}{i}"));
            }

            data.Add(mode, "setup-before-marker");
            data.Add(mode, "setup-after-marker");
        }

        return data;
    }

    /// <summary>The case's own database on a primary that several cases share.</summary>
    public static string Database(string mode, string crashPoint) =>
        "crash_" + NotAName().Replace($"{mode}_{crashPoint}", "_");

    /// <summary>Runs the scenario on a fresh <paramref name="pair"/>, killing its agent at <paramref name="crashPoint"/>.</summary>
    public static async Task RunAsync(
        ISetupCrashPair pair,
        string crashPoint,
        ITestOutputHelper output
    )
    {
        var arguments = pair.Arguments;
        var mode = arguments.Mode;
        var statements = pair.StatementCount;
        var marker = Path.Combine(arguments.DataDir, ReplicationSetupMarker.FileName);
        var started = Path.Combine(arguments.DataDir, ReplicationSetupMarker.StartedFileName);

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
        var executed = crashPoint.StartsWith(StatementPoint, StringComparison.Ordinal)
            ? int.Parse(crashPoint[StatementPoint.Length..], CultureInfo.InvariantCulture)
            : statements;
        Assert.Equal(executed, Occurrences(firstOutput, Running));
        // The change of source is the second-last statement, START the last.
        var changeRan = executed > statements - 2;
        var startRan = executed == statements;

        // The markers agree with the server: "started" right after RESET ... ALL (the second
        // statement), "configured" only once the setup is over.
        Assert.Equal(executed >= 2, File.Exists(started));
        Assert.Equal(crashPoint == "setup-after-marker", File.Exists(marker));
        var afterCrash = await pair.ReplicaStateAsync();
        output.WriteLine($"--- after the crash: {afterCrash.Description}");
        Assert.Equal(changeRan, afterCrash.SourceConfigured);
        Assert.Equal(startRan, afterCrash.SqlRunning == "Yes");
        if (changeRan)
        {
            Assert.Equal(mode == "gtid", afterCrash.UsesGtid);
        }

        // Rows written while the agent is dead.
        await pair.InsertOnPrimaryAsync(21, 20);

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
                _ when executed == statements - 1 => (SetupAction.StartConfigured, "success"),
                _ => (SetupAction.ConfigureAndStart, "success"),
            };
            Assert.Contains(
                $"replication setup: {expectedAction} (",
                secondOutput,
                StringComparison.Ordinal
            );
            Assert.Equal(1, attempts.GetValueOrDefault(expectedResult));
            Assert.DoesNotContain("permanent_error", attempts.Keys);
            Assert.Equal(1, Occurrences(firstOutput + secondOutput, Running + "CHANGE "));
            Assert.True(File.Exists(marker), "the configured marker exists after the second run");
            Assert.True(File.Exists(started), "the started marker exists after the second run");

            await pair.InsertOnPrimaryAsync(41, 20);
            var expected = await pair.ContentAsync(onReplica: false);
            await Eventually.ValueAsync(
                () => pair.ContentAsync(onReplica: true),
                found => found == expected,
                $"the replica has the primary's {expected.Count} rows, checksum {expected.Checksum}",
                Wait,
                async () => (await pair.ReplicaStateAsync()).Description
            );
        }

        var status = await pair.ReplicaStateAsync();
        output.WriteLine(status.Description);
        var onPrimary = await pair.ContentAsync(onReplica: false);
        Assert.Equal(60L, onPrimary.Count);
        Assert.Equal(onPrimary, await pair.ContentAsync(onReplica: true));
        Assert.Equal("0", status.LastSqlErrno);
        Assert.Equal("0", status.LastIoErrno);
        Assert.Equal("Yes", status.SqlRunning);
        Assert.Equal(mode == "gtid", status.UsesGtid);
    }

    [GeneratedRegex("[^a-z0-9]")]
    private static partial Regex NotAName();

    private static int Occurrences(string text, string what) =>
        text.Split(what, StringSplitOptions.None).Length - 1;
}
