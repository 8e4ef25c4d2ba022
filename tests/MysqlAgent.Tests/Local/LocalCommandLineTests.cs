using System.Runtime.Versioning;
using MysqlLocal.Commands;

namespace MysqlAgent.Tests.Local;

[SupportedOSPlatform("linux")]
public sealed class LocalCommandLineTests
{
    [Fact]
    public void Options_and_arguments_of_a_command_are_read_in_either_form()
    {
        var line = LocalCommandLine.Parse([
            "up",
            "--replicas",
            "5",
            "--base-port=auto",
            "--agent-arg=--log-level=Debug",
            "--agent-arg",
            "--connect-retry-seconds=1",
            "--no-wait",
            "--state-dir",
            "/tmp/x",
        ]);

        Assert.Equal("up", line.Command);
        Assert.Equal(5, line.Number("replicas", 1, 64));
        Assert.Equal("auto", line.Value("base-port"));
        Assert.Equal(["--log-level=Debug", "--connect-retry-seconds=1"], line.Values("agent-arg"));
        Assert.True(line.Has("no-wait"));
        Assert.Equal("/tmp/x", line.StatePaths().StateDir);
        Assert.Equal(
            ["mysql-1", "clone"],
            LocalCommandLine.Parse(["logs", "mysql-1", "clone", "--follow"]).Positional
        );
    }

    [Fact]
    public void The_failover_commands_take_a_pod_or_a_target()
    {
        Assert.True(LocalCommandLine.Parse(["up", "--failover"]).Has("failover"));
        Assert.True(LocalCommandLine.Parse(["up", "--fixed-primary"]).Has("fixed-primary"));
        Assert.False(LocalCommandLine.Parse(["up"]).Has("fixed-primary"));
        foreach (var command in new[] { "freeze", "thaw", "isolate", "heal" })
        {
            var line = LocalCommandLine.Parse([command, "mysql-0"]);
            Assert.Equal((command, "mysql-0"), (line.Command, line.Positional.Single()));
        }

        var switchover = LocalCommandLine.Parse(["switchover", "--to", "mysql-2"]);
        Assert.Equal(("switchover", "mysql-2"), (switchover.Command, switchover.Value("to")));
        Assert.False(LocalCommandLine.Parse(["switchover"]).Has("to"));
        Assert.Equal("pause", LocalCommandLine.Parse(["pause"]).Command);
        Assert.Equal("resume", LocalCommandLine.Parse(["resume"]).Command);
    }

    [Theory]
    [InlineData("unknown option --failover for 'scale'", "scale", "3", "--failover")]
    [InlineData("unknown option --fixed-primary for 'scale'", "scale", "3", "--fixed-primary")]
    [InlineData("unknown option --to for 'freeze'", "freeze", "mysql-0", "--to", "mysql-1")]
    [InlineData("unexpected argument 'mysql-0' for 'pause'", "pause", "mysql-0")]
    [InlineData("unknown option --colour for 'status'", "status", "--colour")]
    [InlineData("unknown option --json for 'up'", "up", "--json")]
    [InlineData("unknown command 'upp'", "upp")]
    [InlineData("--replicas needs a value", "up", "--replicas")]
    [InlineData("unexpected argument 'extra' for 'logs'", "logs", "mysql-1", "agent", "extra")]
    [InlineData("no command given", "--state-dir", "/tmp/x")]
    public void Bad_input_is_one_line_naming_it(string message, params string[] args)
    {
        var e = Assert.Throws<UsageException>(() => LocalCommandLine.Parse(args));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Help_is_a_command_of_its_own_at_every_level()
    {
        Assert.Equal(LocalCommandLine.HelpCommand, LocalCommandLine.Parse(["--help"]).Command);
        Assert.Equal(
            LocalCommandLine.HelpCommand,
            LocalCommandLine.Parse(["up", "--help"]).Command
        );
    }
}
