using MysqlAgent.Archive;
using MysqlAgent.Commands;

namespace MysqlAgent.Tests.Archive;

public sealed class BackupCommandLineTests
{
    [Theory]
    [InlineData("backup", new[] { "--hostname", "mysql-0" }, "no --target")]
    [InlineData(
        "backup",
        new[] { "--hostname", "mysql-0", "--target", "/backups" },
        "is not file:/path or s3://bucket[/prefix]"
    )]
    [InlineData(
        "backups",
        new[] { "--hostname", "mysql-0", "--target", "file:backups" },
        "absolute path"
    )]
    [InlineData(
        "backups",
        new[] { "--hostname", "mysql-0", "--target", "s3:///prefix" },
        "names no bucket"
    )]
    [InlineData(
        "restore",
        new[] { "--hostname", "mysql-0", "--from", "file:/b" },
        "exactly one of --backup ID"
    )]
    [InlineData(
        "restore",
        new[] { "--hostname", "mysql-0", "--from", "file:/b", "--latest", "--backup", "x" },
        "exactly one of --backup ID"
    )]
    [InlineData("restore", new[] { "--hostname", "mysql-0", "--latest" }, "no --from")]
    [InlineData(
        "clone",
        new[] { "--hostname", "mysql-1", "--from", "file:/b", "--latest" },
        "--from is for ordinal 0"
    )]
    [InlineData(
        "clone",
        new[] { "--hostname", "mysql-0", "--from", "file:/b" },
        "exactly one of --backup ID"
    )]
    [InlineData(
        "restore",
        new[]
        {
            "--hostname",
            "mysql-0",
            "--from",
            "file:/b",
            "--latest",
            "--to-time",
            "2026-12-07T14:03:00Z",
        },
        "exactly one of --backup ID"
    )]
    [InlineData(
        "restore",
        new[] { "--hostname", "mysql-0", "--from", "file:/b", "--to-gtid", "0-1" },
        "--to-gtid '0-1' is not a GTID position"
    )]
    [InlineData(
        "restore",
        new[] { "--hostname", "mysql-0", "--from", "file:/b", "--to-time", "2026-12-07T14:03:00" },
        "is not a UTC time"
    )]
    public async Task A_bad_target_or_choice_is_a_usage_error_with_one_line(
        string command,
        string[] arguments,
        string expected
    )
    {
        using var stderr = new StringWriter();
        var code = await AgentCommandLine.RunAsync(
            [command, .. arguments],
            TextWriter.Null,
            stderr,
            _ => null,
            default
        );
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(
        "backups/20261207T020000Z-mysql-0-abcdef/manifest.json",
        "20261207T020000Z-mysql-0-abcdef"
    )]
    [InlineData("backups/20261207T020000Z-mysql-0-abcdef/data.stream", null)]
    [InlineData("backups/manifest.json", null)]
    [InlineData("backups/a/b/manifest.json", null)]
    [InlineData("other/x/manifest.json", null)]
    public void Only_a_manifest_directly_under_its_backup_folder_names_a_backup(
        string key,
        string? id
    ) => Assert.Equal(id, BackupKeys.IdOfManifest(key));

    [Fact]
    public void Backup_ids_sort_by_time_and_differ_for_two_pods_in_the_same_second()
    {
        var now = new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
        var a = BackupKeys.NewId(now, "mysql-0");
        var b = BackupKeys.NewId(now, "mysql-1");
        Assert.StartsWith("20261207T020000Z-mysql-0-", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.True(string.CompareOrdinal(a, BackupKeys.NewId(now.AddSeconds(1), "mysql-0")) < 0);
    }
}
