using System.Runtime.Versioning;
using MysqlAgent.Backup;

namespace MysqlAgent.Tests.Backup;

[SupportedOSPlatform("linux")]
public sealed class DefaultsExtraFileTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("p#ss;word with spaces", "\"p#ss;word with spaces\"")]
    [InlineData("q\"uote'd", "\"q\\\"uote'd\"")]
    [InlineData(@"back\slash", @"""back\\slash""")]
    [InlineData("line\nbreak\ttab\r", "\"line\\nbreak\\ttab\\r\"")]
    [InlineData("", "\"\"")]
    public void Values_are_quoted_so_the_option_file_reader_gives_them_back_verbatim(
        string value,
        string expected
    ) => Assert.Equal(expected, DefaultsExtraFile.Quote(value));

    [Fact]
    public void The_file_holds_user_and_password_in_a_client_group_readable_only_by_the_agent()
    {
        using var file = DefaultsExtraFile.Create("backup", "pw#1");

        Assert.Equal(
            "[client]\nuser=\"backup\"\npassword=\"pw#1\"\n",
            File.ReadAllText(file.FilePath)
        );
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(file.FilePath)
        );
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(file.Folder)
        );
        Assert.True(Directory.Exists(file.TargetDir));
        Assert.Equal($"--defaults-extra-file={file.FilePath}", file.Argument);
    }

    [Fact]
    public void Disposing_deletes_the_private_folder()
    {
        var file = DefaultsExtraFile.Create("backup", "pw");
        file.Dispose();

        Assert.False(Directory.Exists(file.Folder));
        Assert.True(file.TryDelete(out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Every_backup_gets_its_own_folder()
    {
        using var first = DefaultsExtraFile.Create("backup", "pw");
        using var second = DefaultsExtraFile.Create("backup", "pw");

        Assert.NotEqual(first.Folder, second.Folder);
    }
}
