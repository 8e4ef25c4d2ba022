using System.Reflection;
using MysqlAgent.Identity;

namespace MysqlAgent.Tests.Init;

[Trait("Category", "Slow")]
[Collection(PublishedMysqlInit.Name)]
public sealed class HelpVersionDryRunTests(MysqlInitBinaryFixture binary) : IDisposable
{
    private readonly MysqlInitRunner _runner = new(binary);
    private readonly InitFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Theory]
    [InlineData("--hostname", "HOSTNAME", "none")]
    [InlineData("--config-map-dir", "MYSQL_INIT_CONFIG_MAP_DIR", "/mnt/config-map")]
    [InlineData("--conf-dir", "MYSQL_INIT_CONF_DIR", "/mnt/conf.d")]
    [InlineData("--server-id-offset", "MYSQL_INIT_SERVER_ID_OFFSET", "100")]
    [InlineData("--service", "MYSQL_INIT_SERVICE", "none")]
    public async Task Help_lists_each_option_with_its_environment_variable_and_default(
        string option,
        string variable,
        string defaultValue
    )
    {
        var result = await _runner.RunAsync(["--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.Split('\n');
        var at = Array.FindIndex(
            lines,
            l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal)
        );
        Assert.True(at >= 0, $"{option} not in help:\n{result.StandardOutput}");
        Assert.Equal($"env {variable}, default {defaultValue}", lines[at + 1].Trim());
    }

    [Fact]
    public async Task Help_lists_the_flags_and_every_exit_code()
    {
        var result = await _runner.RunAsync(["--conf-dir=/x", "--help", "--bogus"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.StandardError);
        var lines = result.StandardOutput.Split('\n').Select(l => l.Trim()).ToArray();
        foreach (var flag in new[] { "--dry-run", "--help", "--version" })
        {
            Assert.Contains(lines, l => l.StartsWith(flag + " ", StringComparison.Ordinal));
        }

        foreach (var code in new[] { 0, 2, 3, 4, 5, 6 })
        {
            Assert.Contains(lines, l => l.StartsWith($"{code}  ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Short_h_is_help_too()
    {
        var help = await _runner.RunAsync(["--help"]);
        var shortHelp = await _runner.RunAsync(["-h"]);

        Assert.Equal(0, shortHelp.ExitCode);
        Assert.Equal(help.StandardOutput, shortHelp.StandardOutput);
    }

    [Fact]
    public async Task Version_is_the_solutions_version()
    {
        var informational = typeof(PodIdentity)
            .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
            .InformationalVersion.Split('+')[0];

        var result = await _runner.RunAsync(["--version"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"mysql-init {informational}\n", result.StandardOutput);
    }

    [Fact]
    public async Task Dry_run_prints_what_it_would_write_and_writes_nothing()
    {
        var result = await _runner.RunAsync(
            _folders.Arguments("mysql-2", "--dry-run", "--service", "mysql")
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(_folders.ConfDirEntries());
        Assert.Equal("", result.StandardError);
        var output = result.StandardOutput;
        Assert.Contains("dry run, nothing written", output, StringComparison.Ordinal);
        Assert.Contains(
            "pod mysql-2, ordinal 2, server-id 102, role replica",
            output,
            StringComparison.Ordinal
        );
        Assert.Contains(
            $"would write {_folders.ConfFile("server-id.cnf")}:",
            output,
            StringComparison.Ordinal
        );
        Assert.Contains("| server-id=102\n", output, StringComparison.Ordinal);
        Assert.Contains("| report_host=mysql-2.mysql\n", output, StringComparison.Ordinal);
        Assert.Contains(
            $"would write {_folders.ConfFile("replica.cnf")} (copy of {Path.Combine(_folders.ConfigMapDir, "replica.cnf")}",
            output,
            StringComparison.Ordinal
        );
        Assert.Contains("| super-read-only\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_says_which_files_are_up_to_date_and_which_would_go()
    {
        Assert.Equal(0, (await _runner.RunAsync(_folders.Arguments("mysql-0"))).ExitCode);
        var before = File.GetLastWriteTimeUtc(_folders.ConfFile("primary.cnf"));

        var result = await _runner.RunAsync(_folders.Arguments("mysql-1", "--dry-run"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(
            $"would remove {_folders.ConfFile("primary.cnf")}",
            result.StandardOutput,
            StringComparison.Ordinal
        );
        Assert.Contains(
            $"would write {_folders.ConfFile("server-id.cnf")}:",
            result.StandardOutput,
            StringComparison.Ordinal
        );
        Assert.Equal(["primary.cnf", "server-id.cnf"], _folders.ConfDirEntries());
        Assert.Equal(before, File.GetLastWriteTimeUtc(_folders.ConfFile("primary.cnf")));

        var same = await _runner.RunAsync(_folders.Arguments("mysql-0", "--dry-run"));
        Assert.Contains(
            $"already up to date {_folders.ConfFile("server-id.cnf")}:",
            same.StandardOutput,
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData("missing-source", 5)]
    [InlineData("missing-target", 6)]
    [InlineData("bad-hostname", 3)]
    [InlineData("bad-offset", 4)]
    public async Task Dry_run_checks_every_input_and_fails_as_a_real_run_would(
        string problem,
        int exitCode
    )
    {
        var hostname = problem == "bad-hostname" ? "mysql" : "mysql-0";
        var offset = problem == "bad-offset" ? "0" : "100";
        if (problem == "missing-source")
        {
            File.Delete(Path.Combine(_folders.ConfigMapDir, "primary.cnf"));
        }

        if (problem == "missing-target")
        {
            Directory.Delete(_folders.ConfDir);
        }

        var result = await _runner.RunAsync(
            _folders.Arguments(hostname, "--dry-run", "--server-id-offset", offset)
        );

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Single(result.ErrorLines);
        Assert.Equal("", result.StandardOutput);
    }
}
