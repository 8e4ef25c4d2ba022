namespace MysqlAgent.Tests.Init;

/// <summary>Each failure: its own exit code, one stderr line naming the input and the fix, nothing written.</summary>
[Trait("Category", "Slow")]
[Collection(PublishedMysqlInit.Name)]
public sealed class FailureTests(MysqlInitBinaryFixture binary) : IDisposable
{
    private const string Prefix = "mysql-init: error: ";

    private readonly MysqlInitRunner _runner = new(binary);
    private readonly InitFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private static string AssertOneErrorLine(MysqlInitResult result, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith(Prefix, line, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
        return line;
    }

    [Theory]
    [InlineData("mysql", "does not end in -<ordinal>")]
    [InlineData("mysql-", "does not end in -<ordinal>")]
    [InlineData("-3", "no StatefulSet name")]
    [InlineData("mysql-01", "leading zero")]
    [InlineData("mysql-2147483648", "above the largest")]
    [InlineData("mysql-123456789012345678901234567890", "above the largest")]
    public async Task Hostname_without_a_valid_ordinal_exits_3_and_names_the_input(
        string hostname,
        string reason
    )
    {
        var result = await _runner.RunAsync(_folders.Arguments(hostname));

        var line = AssertOneErrorLine(result, 3);
        Assert.Contains($"\"{hostname}\"", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Contains("--hostname", line, StringComparison.Ordinal);
        Assert.Empty(_folders.ConfDirEntries());
    }

    [Fact]
    public async Task Missing_hostname_exits_3_and_says_how_to_give_it()
    {
        var result = await _runner.RunAsync([
            "--config-map-dir",
            _folders.ConfigMapDir,
            "--conf-dir",
            _folders.ConfDir,
        ]);

        var line = AssertOneErrorLine(result, 3);
        Assert.Contains("hostname is empty or missing", line, StringComparison.Ordinal);
        Assert.Contains("HOSTNAME", line, StringComparison.Ordinal);
        Assert.Empty(_folders.ConfDirEntries());
    }

    [Theory]
    [InlineData("mysql-0", "0", "server-id 0")]
    [InlineData("mysql-1", "4294967295", "above the largest server-id 4294967295")]
    [InlineData("mysql-0", "4294967296", "above the largest server-id 4294967295")]
    public async Task Server_id_out_of_range_exits_4_and_points_at_the_offset(
        string hostname,
        string offset,
        string reason
    )
    {
        var result = await _runner.RunAsync(
            _folders.Arguments(hostname, "--server-id-offset", offset)
        );

        var line = AssertOneErrorLine(result, 4);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Contains($"offset {offset}", line, StringComparison.Ordinal);
        Assert.Contains("change --server-id-offset", line, StringComparison.Ordinal);
        Assert.Empty(_folders.ConfDirEntries());
    }

    [Theory]
    [InlineData("mysql-0", "primary.cnf")]
    [InlineData("mysql-1", "replica.cnf")]
    public async Task Missing_source_file_exits_5_and_asks_whether_the_config_map_is_mounted(
        string hostname,
        string file
    )
    {
        var source = Path.Combine(_folders.ConfigMapDir, file);
        File.Delete(source);

        var result = await _runner.RunAsync(_folders.Arguments(hostname));

        var line = AssertOneErrorLine(result, 5);
        Assert.Contains($"\"{source}\" does not exist", line, StringComparison.Ordinal);
        Assert.Contains(
            "is the ConfigMap mounted at --config-map-dir",
            line,
            StringComparison.Ordinal
        );
        Assert.Empty(_folders.ConfDirEntries());
    }

    [Fact]
    public async Task Source_that_is_a_folder_exits_5()
    {
        var source = Path.Combine(_folders.ConfigMapDir, "replica.cnf");
        File.Delete(source);
        Directory.CreateDirectory(source);

        var result = await _runner.RunAsync(_folders.Arguments("mysql-1"));

        var line = AssertOneErrorLine(result, 5);
        Assert.Contains($"\"{source}\" is a folder", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_config_map_folder_exits_5_and_names_it()
    {
        var missing = Path.Combine(_folders.Root, "not-mounted");

        var result = await _runner.RunAsync([
            "--hostname",
            "mysql-0",
            "--config-map-dir",
            missing,
            "--conf-dir",
            _folders.ConfDir,
        ]);

        var line = AssertOneErrorLine(result, 5);
        Assert.Contains(
            $"--config-map-dir \"{missing}\" does not exist",
            line,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Default_folders_are_the_classic_mounts_mnt_config_map_and_mnt_conf_d()
    {
        Assert.False(
            Directory.Exists("/mnt/config-map"),
            "this test needs a machine without /mnt/config-map"
        );
        Assert.False(
            Directory.Exists("/mnt/conf.d"),
            "this test needs a machine without /mnt/conf.d"
        );

        var noConfigMap = await _runner.RunAsync(["--hostname", "mysql-0"]);
        var noConfD = await _runner.RunAsync([
            "--hostname",
            "mysql-0",
            "--config-map-dir",
            _folders.ConfigMapDir,
        ]);

        Assert.Contains(
            "--config-map-dir \"/mnt/config-map\" does not exist",
            AssertOneErrorLine(noConfigMap, 5),
            StringComparison.Ordinal
        );
        Assert.Contains(
            "--conf-dir \"/mnt/conf.d\" does not exist",
            AssertOneErrorLine(noConfD, 6),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Target_folder_that_does_not_exist_exits_6_and_is_not_created()
    {
        var missing = Path.Combine(_folders.Root, "no-conf.d");

        var result = await _runner.RunAsync([
            "--hostname",
            "mysql-0",
            "--config-map-dir",
            _folders.ConfigMapDir,
            "--conf-dir",
            missing,
        ]);

        var line = AssertOneErrorLine(result, 6);
        Assert.Contains($"--conf-dir \"{missing}\" does not exist", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Target_that_is_a_regular_file_exits_6()
    {
        var file = Path.Combine(_folders.Root, "conf-file");
        File.WriteAllText(file, "not a folder");

        var result = await _runner.RunAsync([
            "--hostname",
            "mysql-0",
            "--config-map-dir",
            _folders.ConfigMapDir,
            "--conf-dir",
            file,
        ]);

        var line = AssertOneErrorLine(result, 6);
        Assert.Contains(
            $"--conf-dir \"{file}\" is a file, not a folder",
            line,
            StringComparison.Ordinal
        );
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public async Task Write_that_fails_exits_6_names_the_file_and_leaves_no_temp_file()
    {
        // A folder where server-id.cnf should be makes the rename fail even for root.
        var blocked = _folders.ConfFile("server-id.cnf");
        Directory.CreateDirectory(blocked);

        var result = await _runner.RunAsync(_folders.Arguments("mysql-1"));

        var line = AssertOneErrorLine(result, 6);
        Assert.Contains($"cannot write \"{blocked}\"", line, StringComparison.Ordinal);
        Assert.Contains("--conf-dir", line, StringComparison.Ordinal);
        Assert.Equal(["server-id.cnf"], _folders.ConfDirEntries());
    }

    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--bogus=1", "--bogus")]
    [InlineData("-x", "-x")]
    [InlineData("stray", "stray")]
    [InlineData("--server-id-offset", "--server-id-offset")]
    [InlineData("--server-id-offset=abc", "--server-id-offset")]
    [InlineData("--server-id-offset=-1", "--server-id-offset")]
    [InlineData("--server-id-offset=1.5", "--server-id-offset")]
    [InlineData("--server-id-offset=99999999999999999999999", "--server-id-offset")]
    [InlineData("--service=", "--service")]
    [InlineData("--service=a b", "--service")]
    [InlineData("--service=mysql\nserver-id=1", "--service")]
    [InlineData("--dry-run=yes", "--dry-run")]
    [InlineData("--conf-dir", "--conf-dir")]
    public async Task Bad_option_exits_2_and_names_the_option(string argument, string named)
    {
        // The bad option comes last, so it may lack its value.
        string[] arguments =
        [
            "--hostname=mysql-0",
            $"--config-map-dir={_folders.ConfigMapDir}",
            argument,
        ];

        var result = await _runner.RunAsync(arguments);

        var line = AssertOneErrorLine(result, 2);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Empty(_folders.ConfDirEntries());
    }

    [Fact]
    public async Task Option_given_twice_exits_2()
    {
        var result = await _runner.RunAsync(_folders.Arguments("mysql-0", "--hostname", "mysql-1"));

        var line = AssertOneErrorLine(result, 2);
        Assert.Contains("--hostname was given twice", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Option_followed_by_another_option_is_missing_its_value()
    {
        var result = await _runner.RunAsync(["--hostname", "--dry-run"]);

        var line = AssertOneErrorLine(result, 2);
        Assert.Contains("--hostname needs a value", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_offset_from_the_environment_exits_2_and_names_the_variable()
    {
        var result = await _runner.RunAsync(
            _folders.Arguments("mysql-0"),
            new Dictionary<string, string> { ["MYSQL_INIT_SERVER_ID_OFFSET"] = "ten" }
        );

        var line = AssertOneErrorLine(result, 2);
        Assert.Contains(
            "environment variable MYSQL_INIT_SERVER_ID_OFFSET is \"ten\"",
            line,
            StringComparison.Ordinal
        );
    }
}
