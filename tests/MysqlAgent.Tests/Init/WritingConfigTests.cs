using System.Runtime.Versioning;
using System.Text;

namespace MysqlAgent.Tests.Init;

[Trait("Category", "Slow")]
[Collection(PublishedMysqlInit.Name)]
public sealed class WritingConfigTests(MysqlInitBinaryFixture binary) : IDisposable
{
    private static readonly DateTime LongAgo = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    private readonly MysqlInitRunner _runner = new(binary);
    private readonly InitFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private string Read(string name) =>
        Encoding.UTF8.GetString(File.ReadAllBytes(_folders.ConfFile(name)));

    [Theory]
    [InlineData("mysql-0", "100", "primary.cnf", InitFolders.PrimaryCnf)]
    [InlineData("mysql-1", "101", "replica.cnf", InitFolders.ReplicaCnf)]
    [InlineData("mysql-12", "112", "replica.cnf", InitFolders.ReplicaCnf)]
    [InlineData(
        "my-sql-3.my-sql.default.svc.cluster.local",
        "103",
        "replica.cnf",
        InitFolders.ReplicaCnf
    )]
    public async Task Pod_gets_server_id_100_plus_ordinal_and_its_role_file(
        string hostname,
        string serverId,
        string roleFile,
        string roleContent
    )
    {
        var result = await _runner.RunAsync(_folders.Arguments(hostname));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([roleFile, "server-id.cnf"], _folders.ConfDirEntries());
        Assert.Equal($"[mysqld]\nserver-id={serverId}\n", Read("server-id.cnf"));
        Assert.Equal(roleContent, Read(roleFile));
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public async Task Role_file_is_copied_byte_for_byte()
    {
        byte[] content = [.. "[mysqld]\r\nlog-bin # \u00e9t\u00e9\n\0tail"u8];
        File.WriteAllBytes(Path.Combine(_folders.ConfigMapDir, "primary.cnf"), content);

        var result = await _runner.RunAsync(_folders.Arguments("mysql-0"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(content, File.ReadAllBytes(_folders.ConfFile("primary.cnf")));
    }

    [Fact]
    public async Task Service_adds_report_host_with_the_pods_stable_dns_name()
    {
        var result = await _runner.RunAsync(
            _folders.Arguments("mysql-2.mysql.default.svc.cluster.local", "--service", "mysql")
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[mysqld]\nserver-id=102\nreport_host=mysql-2.mysql\n", Read("server-id.cnf"));
    }

    [Fact]
    public async Task Success_line_names_pod_ordinal_server_id_role_and_files()
    {
        var result = await _runner.RunAsync(_folders.Arguments("mysql-1"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(
            result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        );
        Assert.Contains("pod mysql-1", line, StringComparison.Ordinal);
        Assert.Contains("ordinal 1", line, StringComparison.Ordinal);
        Assert.Contains("server-id 101", line, StringComparison.Ordinal);
        Assert.Contains("role replica", line, StringComparison.Ordinal);
        Assert.Contains(
            $"{_folders.ConfFile("server-id.cnf")} (written)",
            line,
            StringComparison.Ordinal
        );
        Assert.Contains(
            $"{_folders.ConfFile("replica.cnf")} (written)",
            line,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Second_run_gives_byte_identical_files_and_rewrites_nothing()
    {
        var arguments = _folders.Arguments("mysql-1", "--service", "mysql");
        var first = await _runner.RunAsync(arguments);
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = _folders
            .ConfDirEntries()
            .ToDictionary(n => n, n => File.ReadAllBytes(_folders.ConfFile(n)));
        foreach (var name in before.Keys)
        {
            File.SetLastWriteTimeUtc(_folders.ConfFile(name), LongAgo);
        }

        var second = await _runner.RunAsync(arguments);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(before.Keys, _folders.ConfDirEntries());
        foreach (var (name, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(_folders.ConfFile(name)));
            Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(_folders.ConfFile(name)));
            Assert.Contains(
                $"{_folders.ConfFile(name)} (unchanged)",
                second.StandardOutput,
                StringComparison.Ordinal
            );
        }
    }

    [Fact]
    public async Task Changed_content_is_rewritten_and_only_that_file()
    {
        Assert.Equal(0, (await _runner.RunAsync(_folders.Arguments("mysql-1"))).ExitCode);
        File.SetLastWriteTimeUtc(_folders.ConfFile("replica.cnf"), LongAgo);

        var result = await _runner.RunAsync(
            _folders.Arguments("mysql-1", "--server-id-offset", "200")
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[mysqld]\nserver-id=201\n", Read("server-id.cnf"));
        Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(_folders.ConfFile("replica.cnf")));
    }

    [Theory]
    [InlineData("mysql-0", "mysql-1", "replica.cnf", "primary.cnf")]
    [InlineData("mysql-1", "mysql-0", "primary.cnf", "replica.cnf")]
    public async Task Role_switch_removes_the_other_roles_file(
        string before,
        string after,
        string kept,
        string removed
    )
    {
        Assert.Equal(0, (await _runner.RunAsync(_folders.Arguments(before))).ExitCode);

        var result = await _runner.RunAsync(_folders.Arguments(after));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([kept, "server-id.cnf"], _folders.ConfDirEntries());
        Assert.Contains(
            $"{_folders.ConfFile(removed)} (removed)",
            result.StandardOutput,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Temp_files_left_by_a_killed_run_are_swept()
    {
        var leftover = _folders.ConfFile(".tmp-server-id.cnf-abc123.tmp");
        File.WriteAllText(leftover, "half");

        var result = await _runner.RunAsync(_folders.Arguments("mysql-0"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["primary.cnf", "server-id.cnf"], _folders.ConfDirEntries());
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Files_are_readable_by_mysqld_running_as_another_user()
    {
        Assert.Equal(0, (await _runner.RunAsync(_folders.Arguments("mysql-0"))).ExitCode);

        foreach (var name in _folders.ConfDirEntries())
        {
            Assert.True(
                File.GetUnixFileMode(_folders.ConfFile(name)).HasFlag(UnixFileMode.OtherRead),
                name
            );
        }
    }

    [Fact]
    public async Task Every_option_falls_back_to_its_environment_variable()
    {
        var result = await _runner.RunAsync(
            [],
            new Dictionary<string, string>
            {
                ["HOSTNAME"] = "mysql-4",
                ["MYSQL_INIT_CONFIG_MAP_DIR"] = _folders.ConfigMapDir,
                ["MYSQL_INIT_CONF_DIR"] = _folders.ConfDir,
                ["MYSQL_INIT_SERVER_ID_OFFSET"] = "1000",
                ["MYSQL_INIT_SERVICE"] = "db",
            }
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[mysqld]\nserver-id=1004\nreport_host=mysql-4.db\n", Read("server-id.cnf"));
        Assert.Equal(InitFolders.ReplicaCnf, Read("replica.cnf"));
    }

    [Fact]
    public async Task Command_line_beats_the_environment()
    {
        using var other = new InitFolders();
        var result = await _runner.RunAsync(
            [.. _folders.Arguments("mysql-2", "--server-id-offset=7", "--service=cli")],
            new Dictionary<string, string>
            {
                ["HOSTNAME"] = "mysql-0",
                ["MYSQL_INIT_CONFIG_MAP_DIR"] = "/nonexistent/config-map",
                ["MYSQL_INIT_CONF_DIR"] = other.ConfDir,
                ["MYSQL_INIT_SERVER_ID_OFFSET"] = "1000",
                ["MYSQL_INIT_SERVICE"] = "env",
            }
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[mysqld]\nserver-id=9\nreport_host=mysql-2.cli\n", Read("server-id.cnf"));
        Assert.Empty(other.ConfDirEntries());
    }

    [Fact]
    public async Task Empty_environment_variable_counts_as_unset_and_the_default_applies()
    {
        var result = await _runner.RunAsync(
            _folders.Arguments("mysql-3"),
            new Dictionary<string, string>
            {
                ["MYSQL_INIT_SERVER_ID_OFFSET"] = "",
                ["MYSQL_INIT_SERVICE"] = "",
            }
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[mysqld]\nserver-id=103\n", Read("server-id.cnf"));
    }

    [Fact]
    public async Task Largest_server_id_4294967295_is_accepted()
    {
        var result = await _runner.RunAsync(
            _folders.Arguments("mysql-0", "--server-id-offset", "4294967295")
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[mysqld]\nserver-id=4294967295\n", Read("server-id.cnf"));
    }
}
