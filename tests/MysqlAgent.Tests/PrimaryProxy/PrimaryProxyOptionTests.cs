using MysqlAgent.Configuration;
using MysqlAgent.PrimaryProxy;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.PrimaryProxy;

/// <summary><c>serve --primary-proxy-port</c>: off by default, read from the option or the environment, refused on a port the agent or mysqld uses.</summary>
public sealed class PrimaryProxyOptionTests
{
    [Fact]
    public void The_proxy_is_off_unless_a_port_is_given()
    {
        Assert.Equal(0, Read().PrimaryProxyPort);
        Assert.Equal(3308, Read("--primary-proxy-port", "3308").PrimaryProxyPort);
        Assert.Empty(PrimaryProxyService.Validate(Read("--primary-proxy-port", "3308")));
    }

    [Fact]
    public void The_environment_variable_sets_the_port()
    {
        var environment = new AgentSecrets().Environment;
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(
                ["--hostname", "mysql-1"],
                name => name == "MYSQL_AGENT_PRIMARY_PROXY_PORT" ? "3308" : environment(name)
            )
        );

        Assert.Equal(3308, options.PrimaryProxyPort);
    }

    [Theory]
    [InlineData("3306", "--mysql-port")]
    [InlineData("3307", "--backup-port")]
    [InlineData("8080", "--http-port")]
    public void A_port_the_agent_or_mysqld_already_uses_is_refused_in_one_line(
        string port,
        string clash
    )
    {
        var problem = Assert.Single(
            PrimaryProxyService.Validate(Read("--primary-proxy-port", port))
        );

        Assert.Contains(
            $"--primary-proxy-port {port} is also {clash}",
            problem,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void A_port_out_of_range_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            Read("--primary-proxy-port", "70000")
        );

        Assert.Contains("primary-proxy-port", error.Message, StringComparison.Ordinal);
    }

    private static AgentOptions Read(params string[] args) =>
        AgentOptionsReader.Read(
            OptionValues.Parse(["--hostname", "mysql-1", .. args], new AgentSecrets().Environment)
        );
}
