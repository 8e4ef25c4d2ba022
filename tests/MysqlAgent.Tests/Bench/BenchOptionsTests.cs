extern alias Bench;

using System.Runtime.Versioning;
using Bench::MysqlBench;

namespace MysqlAgent.Tests.Bench;

[SupportedOSPlatform("linux")]
public sealed class BenchOptionsTests
{
    private static readonly string[] Programs = ["--agent", "/a/agent", "--init", "/a/init"];

    [Fact]
    public void What_dev_bench_passes_for_a_failover_run_is_read()
    {
        var options = BenchOptions.Parse([
            "--agent",
            "/a/agent",
            "--agent-build",
            "native-aot",
            "--init",
            "/a/init",
            "--local",
            "/a/local",
            "--failover",
            "--failover-runs",
            "1",
        ]);

        Assert.Equal("/a/agent", options.AgentPath);
        Assert.Equal("native-aot", options.AgentBuild);
        Assert.Equal("/a/init", options.InitPath);
        Assert.Equal("/a/local", options.LocalPath);
        Assert.True(options.Failover);
        Assert.Equal(1, options.FailoverRuns);
        Assert.Equal(0, options.TouchMemoryBytes);
    }

    [Fact]
    public void Without_options_the_defaults_hold()
    {
        var options = BenchOptions.Parse(Programs);

        Assert.Equal("unknown", options.AgentBuild);
        Assert.Equal(1024, options.SizeMb);
        Assert.False(options.Quick);
        Assert.Equal(3, options.CloneRuns);
        Assert.Equal(5, options.ReplicationRuns);
        Assert.Equal(50, options.InitRuns);
        Assert.Equal(5, options.StartupRuns);
        Assert.Equal(4_000_000_000, options.TouchMemoryBytes);
        Assert.Equal(
            Path.GetFullPath(Path.Combine("artifacts", "bench-results.json")),
            Path.GetFullPath(options.Output)
        );
        Assert.Equal(["loopback"], options.Links);
        Assert.Equal(0, options.DelayMs);
        Assert.Equal(["none", "lz4", "zstd"], options.Compressions);
        Assert.False(options.CloneOnly);
        Assert.False(options.Failover);
        Assert.Equal(10, options.FailoverRuns);
        Assert.Equal(
            Path.GetFullPath(Path.Combine("local", "bin", "Release", "net10.0", "mysql-local")),
            options.LocalPath
        );
    }

    [Fact]
    public void Quick_lowers_the_sizes_and_counts_it_does_not_override()
    {
        var options = BenchOptions.Parse([.. Programs, "--quick", "--init-runs", "7"]);

        Assert.True(options.Quick);
        Assert.Equal(100, options.SizeMb);
        Assert.Equal(3, options.ReplicationRuns);
        Assert.Equal(7, options.InitRuns);
        Assert.Equal(3, options.StartupRuns);
        Assert.Equal(2, options.FailoverRuns);
    }

    [Fact]
    public void Values_are_read_with_their_floors_and_lists()
    {
        var options = BenchOptions.Parse([
            .. Programs,
            "--clone-runs",
            "1",
            "--link",
            "1gbit, 10gbit",
            "--delay-ms",
            "0.2",
            "--compressions",
            "zstd",
            "--touch-memory-mb",
            "0",
            "--size-mb=64",
        ]);

        Assert.Equal(3, options.CloneRuns);
        Assert.Equal(["1gbit", "10gbit"], options.Links);
        Assert.Equal(0.2, options.DelayMs);
        Assert.Equal(["zstd"], options.Compressions);
        Assert.Equal(0, options.TouchMemoryBytes);
        Assert.Equal(64, options.SizeMb);
    }

    [Fact]
    public void Clone_only_needs_no_init_binary()
    {
        var options = BenchOptions.Parse(["--agent", "/a/agent", "--clone-only"]);

        Assert.True(options.CloneOnly);
        Assert.Equal("/nonexistent", options.InitPath);
    }

    [Fact]
    public void Backups_only_needs_no_init_binary_and_keeps_quick_small()
    {
        var options = BenchOptions.Parse(["--agent", "/a/agent", "--backups-only", "--quick"]);

        Assert.True(options.BackupsOnly);
        Assert.False(options.CloneOnly);
        Assert.Equal("/nonexistent", options.InitPath);
        Assert.Equal(100, options.SizeMb);
    }

    [Fact]
    public void Proxy_only_needs_no_init_binary_and_names_its_results_file()
    {
        var options = BenchOptions.Parse(["--agent", "/a/agent", "--proxy-only"]);

        Assert.True(options.ProxyOnly);
        Assert.Equal("/nonexistent", options.InitPath);
        Assert.Equal("proxy", ResultsFile.Kind(options));
    }

    [Theory]
    [InlineData("--init /a/init", "--agent is required")]
    [InlineData("--agent /a/agent", "--init is required")]
    [InlineData("--agent /a/agent --init /a/init --bogus 1", "unknown option --bogus")]
    [InlineData("--agent /a/agent --init /a/init --bogus=1", "unknown option --bogus")]
    [InlineData("--agent /a/agent --init /a/init extra", "unexpected argument 'extra'")]
    [InlineData("--agent /a/agent --init /a/init --size-mb", "--size-mb needs a value")]
    [InlineData("--agent /a/agent --init /a/init --size-mb x", "--size-mb needs a number, not 'x'")]
    [InlineData(
        "--agent /a/agent --init /a/init --failover-runs -1",
        "--failover-runs needs a number, not '-1'"
    )]
    [InlineData(
        "--agent /a/agent --init /a/init --delay-ms 5000",
        "--delay-ms needs a number of milliseconds, e.g. 0.2"
    )]
    [InlineData(
        "--agent /a/agent --init /a/init --link 40gbit",
        "--link 40gbit: use loopback, 1gbit or 10gbit"
    )]
    [InlineData(
        "--agent /a/agent --failover --clone-only",
        "--failover and --clone-only measure different things: use one"
    )]
    [InlineData(
        "--agent /a/agent --backups-only --failover",
        "--backups-only measures backups alone: drop --failover and --clone-only"
    )]
    [InlineData(
        "--agent /a/agent --proxy-only --failover",
        "--proxy-only measures the primary proxy alone: drop --failover, --clone-only and --backups-only"
    )]
    [InlineData(
        "--agent /a/agent --backups-only --link 1gbit",
        "--backups-only measures on loopback only: drop --link"
    )]
    public void A_bad_command_line_is_one_line_naming_the_option(string line, string error)
    {
        var e = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(line.Split(' ')));

        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void A_program_the_run_needs_that_is_missing_is_named()
    {
        var failover = BenchOptions.Parse([.. Programs, "--failover", "--local", "/a/local"]);

        Assert.Equal(
            "/a/agent does not exist (./dev bench publishes and builds it)",
            failover.MissingProgram()
        );
        var present = BenchOptions.Parse([
            "--agent",
            typeof(BenchOptionsTests).Assembly.Location,
            "--clone-only",
        ]);
        Assert.Null(present.MissingProgram());
    }

    [Fact]
    public void Help_is_asked_for_and_lists_every_option()
    {
        Assert.True(BenchOptions.AsksForHelp(["--help"]));
        Assert.False(BenchOptions.AsksForHelp(Programs));

        using var help = new StringWriter();
        BenchOptions.WriteHelp(help);
        foreach (
            var option in new[]
            {
                "--agent ",
                "--agent-build",
                "--init ",
                "--size-mb",
                "--quick",
                "--clone-runs",
                "--replication-runs",
                "--init-runs",
                "--startup-runs",
                "--touch-memory-mb",
                "--output",
                "--link",
                "--delay-ms",
                "--compressions",
                "--clone-only",
                "--failover ",
                "--failover-runs",
                "--local",
            }
        )
        {
            Assert.Contains(option, help.ToString(), StringComparison.Ordinal);
        }
    }
}
