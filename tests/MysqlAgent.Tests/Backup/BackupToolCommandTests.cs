using MysqlAgent.Backup;
using MysqlAgent.Configuration;

namespace MysqlAgent.Tests.Backup;

public sealed class BackupToolCommandTests
{
    [Fact]
    public void The_defaults_file_comes_first_and_no_secret_is_on_the_command_line()
    {
        using var credentials = DefaultsExtraFile.Create("backup", "very-secret-pw");

        var command = BackupToolCommand.Build(
            BackupToolKind.MariaBackup,
            null,
            credentials,
            new Endpoint("127.0.0.1", 3306)
        );

        Assert.Equal("mariabackup", command.TargetFilePath);
        var arguments = BackupToolCommand.Arguments(credentials, new Endpoint("127.0.0.1", 3306));
        Assert.Equal(credentials.Argument, arguments[0]);
        Assert.Contains("--backup", arguments);
        Assert.Contains("--slave-info", arguments);
        Assert.Contains("--stream=xbstream", arguments);
        Assert.Contains($"--target-dir={credentials.TargetDir}", arguments);
        Assert.Contains("--host=127.0.0.1", arguments);
        Assert.Contains("--port=3306", arguments);
        Assert.DoesNotContain("very-secret-pw", command.Arguments, StringComparison.Ordinal);
        Assert.DoesNotContain("--password", command.Arguments, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BackupToolKind.MariaBackup, null, "mariabackup")]
    [InlineData(BackupToolKind.XtraBackup, null, "xtrabackup")]
    [InlineData(BackupToolKind.XtraBackup, "", "xtrabackup")]
    [InlineData(
        BackupToolKind.MariaBackup,
        "/opt/tools/mariadb-backup",
        "/opt/tools/mariadb-backup"
    )]
    public void The_tool_path_is_the_option_else_the_flavours_tool_on_the_path(
        BackupToolKind kind,
        string? option,
        string expected
    ) => Assert.Equal(expected, BackupToolCommand.ToolPath(kind, option));

    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1-log", BackupToolKind.MariaBackup)]
    [InlineData("11.4.2-MariaDB", BackupToolKind.MariaBackup)]
    [InlineData("8.0.36", BackupToolKind.XtraBackup)]
    [InlineData("8.4.0-commercial", BackupToolKind.XtraBackup)]
    [InlineData("5.7.44-log", BackupToolKind.XtraBackup)]
    public void The_server_flavour_chooses_the_tool(string version, BackupToolKind expected) =>
        Assert.Equal(expected, BackupToolSelector.FromVersion(version));
}
