using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Configuration;

/// <summary>What an operator sees for a bad option: one line per problem, naming the option and the fix.</summary>
public sealed class AgentOptionFailureTests
{
    private const string SecretValue = "s3cret-on-the-command-line";

    private static ConfigurationException Refused(params string[] args) =>
        Assert.Throws<ConfigurationException>(() =>
            AgentOptionsReader.Read(
                OptionValues.Parse(
                    ["--hostname", "mysql-1", .. args],
                    new AgentSecrets().Environment
                )
            )
        );

    public static TheoryData<string[], string> OneBadInput =>
        new()
        {
            {
                ["--http-port", "eighty"],
                "--http-port 'eighty' is not a whole number from 1 to 65535"
            },
            {
                ["--max-concurrent-backups", "0"],
                "--max-concurrent-backups '0' is not a whole number from 1 to 64"
            },
            { ["--colour", "red"], "unknown option --colour" },
            { ["--data-dir"], "--data-dir needs a value" },
            { ["--data-dir", "--dry-run"], "--data-dir needs a value" },
            { ["--hostname", "mysql"], "--hostname: " },
            { ["--log-format", "yaml"], "--log-format 'yaml' is not one of: text, json" },
            { ["--donor", "a:b:c"], "--donor 'a:b:c' is not host or host:port" },
            { ["--admin-password", SecretValue], "--admin-password is refused" },
            { ["--backup-token=" + SecretValue], "use --backup-token-file" },
            { ["--reclone-errant", "maybe"], "unexpected argument 'maybe'" },
            {
                ["--keep-errant-datadirs", "-1"],
                "--keep-errant-datadirs '-1' is not a whole number from 0 to 100"
            },
            // A restore time without a zone would mean a different moment on every machine.
            {
                ["--to-time", "2026-12-07T14:03:00"],
                "--to-time '2026-12-07T14:03:00' is not a UTC time"
            },
            { ["--to-time", "2026-12-07T14:03:00+01:00"], "write it as 2026-12-07T14:03:00Z" },
            { ["--to-time", "yesterdayZ"], "is not a UTC time" },
            {
                ["--binlog-archive-interval", "-5"],
                "--binlog-archive-interval '-5' is not a whole number from 0 to 86400"
            },
        };

    [Theory]
    [MemberData(nameof(OneBadInput))]
    public void A_bad_input_is_one_problem_naming_the_option(string[] args, string expected)
    {
        var error = Refused(args);

        var problem = Assert.Single(error.Problems);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("--admin-password", "--admin-password-file", "MYSQL_AGENT_ADMIN_PASSWORD")]
    [InlineData(
        "--replication-password",
        "--replication-password-file",
        "MYSQL_AGENT_REPLICATION_PASSWORD"
    )]
    [InlineData("--backup-password", "--backup-password-file", "MYSQL_AGENT_BACKUP_PASSWORD")]
    [InlineData("--backup-token", "--backup-token-file", "MYSQL_AGENT_BACKUP_TOKEN")]
    public async Task A_plain_secret_on_the_command_line_is_refused_with_the_file_option_to_use(
        string option,
        string fileOption,
        string variable
    )
    {
        var (code, stdout, stderr) = await RunAsync(
            "serve",
            "--hostname",
            "mysql-1",
            option,
            SecretValue
        );

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith(
            $"mysql-agent serve: error: {option} is refused",
            line,
            StringComparison.Ordinal
        );
        Assert.Contains(fileOption, line, StringComparison.Ordinal);
        Assert.Contains(variable, line, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_from_the_environment_are_read_and_say_where_they_came_from()
    {
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(
                ["--hostname", "mysql-1"],
                new AgentSecrets(AdminPassword: "pw").Environment
            )
        );

        Assert.Equal("pw", options.AdminPassword?.Value);
        Assert.Equal("MYSQL_AGENT_ADMIN_PASSWORD", options.AdminPassword?.Source);
        Assert.DoesNotContain("pw", options.AdminPassword?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_secret_file_is_refused_naming_the_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            var problem = Assert.Single(Refused("--backup-token-file", path).Problems);

            Assert.Contains(
                $"--backup-token-file: {path} is empty",
                problem,
                StringComparison.Ordinal
            );
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Every_problem_is_listed_at_once_one_line_each_with_the_usage_exit_code()
    {
        var (code, _, stderr) = await RunAsync(
            "clone",
            "--hostname",
            "mysql",
            "--http-port",
            "0",
            "--colour",
            "red",
            "--admin-password",
            SecretValue,
            "--log-format",
            "yaml"
        );

        Assert.Equal(ExitCodes.Usage, code);
        var lines = Lines(stderr);
        Assert.All(
            lines,
            l => Assert.StartsWith("mysql-agent clone: error: ", l, StringComparison.Ordinal)
        );
        Assert.Contains(
            lines,
            l => l.Contains("unknown option --colour", StringComparison.Ordinal)
        );
        Assert.Contains(
            lines,
            l => l.Contains("--admin-password is refused", StringComparison.Ordinal)
        );
        Assert.Contains(lines, l => l.Contains("--hostname: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--http-port '0'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--log-format 'yaml'", StringComparison.Ordinal));
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public async Task Help_lists_every_option_and_the_secrets_by_their_environment_variables()
    {
        var (code, stdout, _) = await RunAsync("serve", "--help");

        Assert.Equal(ExitCodes.Success, code);
        foreach (var option in OptionCatalog.All)
        {
            Assert.Contains(
                option.IsSecret ? option.EnvironmentName : option.CommandLineName + " ",
                stdout,
                StringComparison.Ordinal
            );
        }

        Assert.DoesNotContain("--admin-password VALUE", stdout, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(
        params string[] args
    )
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await AgentCommandLine.RunAsync(
            args,
            stdout,
            stderr,
            _ => null,
            CancellationToken.None
        );
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_UTC_restore_time_is_read_as_that_instant()
    {
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(
                ["--hostname", "mysql-1", "--to-time", "2026-12-07T14:03:00Z"],
                new AgentSecrets().Environment
            )
        );

        Assert.Equal(
            new DateTimeOffset(2026, 12, 7, 14, 3, 0, TimeSpan.Zero),
            options.RestoreToTime
        );
        Assert.Equal(TimeSpan.Zero, options.RestoreToTime!.Value.Offset);
    }

    [Theory]
    [InlineData("MYSQL_AGENT_LATEST", "--latest 'yes' is neither true nor false")]
    [InlineData("MYSQL_AGENT_S3_PATH_STYLE", "--s3-path-style 'yes' is neither true nor false")]
    [InlineData("MYSQL_AGENT_DRY_RUN", "--dry-run 'yes' is neither true nor false")]
    public void A_switch_from_the_environment_spelled_another_way_is_refused_not_read_as_off(
        string variable,
        string expected
    )
    {
        var secrets = new AgentSecrets();
        var error = Assert.Throws<ConfigurationException>(() =>
            AgentOptionsReader.Read(
                OptionValues.Parse(
                    ["--hostname", "mysql-1"],
                    name => name == variable ? "yes" : secrets.Environment(name)
                )
            )
        );

        Assert.Contains(expected, Assert.Single(error.Problems), StringComparison.Ordinal);
    }
}
