using MysqlAgent.Common;

namespace MysqlAgent.Tests.Common;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atomic-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_write_replaces_the_file_whole_and_leaves_no_temp_file()
    {
        var path = Path.Combine(_folder, "marker");
        AtomicFile.Write(path, "first\n");
        AtomicFile.Write(path, "second\n");

        Assert.Equal("second\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void An_unchanged_file_is_not_rewritten()
    {
        var path = Path.Combine(_folder, "server-id.cnf");
        byte[] content = "[mysqld]\nserver-id=101\n"u8.ToArray();

        Assert.True(AtomicFile.WriteIfChanged(path, content));
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1));

        Assert.False(AtomicFile.WriteIfChanged(path, content));
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void The_mode_given_is_the_files_whatever_the_umask()
    {
        var path = Path.Combine(_folder, "secret");
        AtomicFile.Write(path, "s", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_write_into_a_missing_folder_fails_and_leaves_nothing()
    {
        var path = Path.Combine(_folder, "missing", "marker");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(path, "x"));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void Leftovers_of_a_killed_write_are_swept()
    {
        var leftover = Path.Combine(
            _folder,
            AtomicFile.TempPrefix + "marker-abc" + AtomicFile.TempSuffix
        );
        File.WriteAllText(leftover, "half");
        AtomicFile.Write(Path.Combine(_folder, "marker"), "whole");

        AtomicFile.SweepLeftovers(_folder);

        Assert.Equal([Path.Combine(_folder, "marker")], Directory.GetFiles(_folder));
    }
}
