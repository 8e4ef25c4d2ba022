using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Configuration;

/// <summary>The re-clone of an errant pod is on unless turned off, from the command line or the environment.</summary>
public sealed class RecloneOptionTests
{
    private static AgentOptions Read(string[] args, Dictionary<string, string>? environment = null)
    {
        var secrets = new AgentSecrets();
        string? Lookup(string name) =>
            environment is not null && environment.TryGetValue(name, out var value)
                ? value
                : secrets.Environment(name);

        return AgentOptionsReader.Read(
            OptionValues.Parse(["--hostname", "mysql-1", .. args], Lookup)
        );
    }

    [Fact]
    public void By_default_an_errant_pod_reclones_and_one_copy_is_kept()
    {
        var options = Read([]);

        Assert.True(options.RecloneErrant);
        Assert.Equal(1, options.KeepErrantDataDirs);
    }

    [Theory]
    [InlineData(new[] { "--reclone-errant", "false" }, false)]
    [InlineData(new[] { "--reclone-errant=false" }, false)]
    [InlineData(new[] { "--reclone-errant" }, true)]
    [InlineData(new[] { "--reclone-errant", "true" }, true)]
    public void The_command_line_turns_it_off_or_on(string[] args, bool expected) =>
        Assert.Equal(expected, Read(args).RecloneErrant);

    [Theory]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    public void The_environment_turns_it_off_or_on(string value, bool expected) =>
        Assert.Equal(
            expected,
            Read([], new() { ["MYSQL_AGENT_RECLONE_ERRANT"] = value }).RecloneErrant
        );

    [Fact]
    public void A_value_that_is_neither_is_refused_naming_the_option()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            Read([], new() { ["MYSQL_AGENT_RECLONE_ERRANT"] = "yes please" })
        );

        Assert.Equal(
            "--reclone-errant 'yes please' is neither true nor false",
            Assert.Single(error.Problems)
        );
    }

    [Fact]
    public void Keeping_no_copy_is_allowed()
    {
        Assert.Equal(0, Read(["--keep-errant-datadirs", "0"]).KeepErrantDataDirs);
    }
}
