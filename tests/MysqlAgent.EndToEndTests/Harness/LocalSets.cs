using System.Security.Cryptography;
using MysqlAgent.TestSupport.Failover;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>
/// The end-to-end tests' <see cref="LocalSet"/>s: the repository's built binaries, a state folder
/// under <c>$TMPDIR/mysql-agent-e2e/</c>, the agents' retry and log level for tests, and every
/// command's output in the test's output.
/// </summary>
public static class LocalSets
{
    /// <summary>Every test's own limit: several waits of <see cref="LocalSet.Patience"/>, so a hang fails instead of blocking CI.</summary>
    public const int TestTimeout = 20 * 60 * 1000;

    /// <summary>
    /// The example's fixed primary instead of the default failover: for the tests of what a set
    /// without failover does (writes stop while mysql-0 is down, its restarted mysqld is writable).
    /// </summary>
    public const string FixedPrimary = "--fixed-primary";

    /// <summary>Runs <c>up</c> and checks it succeeded; the output is the test's evidence.</summary>
    public static Task<(LocalSet Set, CommandOutput Up)> UpAsync(
        ITestOutputHelper output,
        int replicas = 3,
        IReadOnlyList<string>? extraArguments = null
    ) =>
        LocalSet.UpAsync(
            Options(output),
            NewStateDir(),
            replicas,
            [
                "--agent-arg=--connect-retry-seconds=1",
                "--agent-arg=--log-level=Debug",
                .. (extraArguments ?? []),
            ]
        );

    /// <summary>Runs <c>up</c> in a folder the caller prepared (a restore's copied secrets) and checks it succeeded.</summary>
    public static Task<(LocalSet Set, CommandOutput Up)> UpInAsync(
        ITestOutputHelper output,
        string stateDir,
        IReadOnlyList<string> extraArguments
    ) =>
        LocalSet.UpAsync(
            Options(output),
            stateDir,
            3,
            [
                "--agent-arg=--connect-retry-seconds=1",
                "--agent-arg=--log-level=Debug",
                .. extraArguments,
            ]
        );

    /// <summary>A set in a new folder of its own, not started: for tests of 'up' itself (dispose runs 'down').</summary>
    public static LocalSet Unstarted(ITestOutputHelper output, int basePort) =>
        LocalSet.Unstarted(Options(output), NewStateDir(), basePort);

    private static LocalSetOptions Options(ITestOutputHelper output) =>
        new(Binaries.Local, Binaries.Init, Binaries.Agent, Binaries.ConfigMapDir, output.WriteLine);

    public static string NewStateDir() =>
        Path.Combine(
            Path.GetTempPath(),
            "mysql-agent-e2e",
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))
        );
}
