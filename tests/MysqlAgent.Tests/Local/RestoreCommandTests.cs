using System.Runtime.Versioning;
using MysqlLocal.Commands;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

/// <summary>
/// <c>mysql-local restore</c>'s refusals, each before anything is written or started: the restored
/// set is always a new one, and the source set is never touched.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RestoreCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("restore-command-").FullName;

    private string Source => Path.Combine(_root, "source");

    [Fact]
    public async Task Without_a_source_set_it_names_the_folder_and_the_fix()
    {
        var e = await Assert.ThrowsAsync<LocalSetException>(() =>
            RunAsync("--into", Path.Combine(_root, "new"))
        );

        Assert.Contains(Source, e.Message, StringComparison.Ordinal);
        Assert.Contains("--state-dir", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_set_without_a_backup_target_points_to_up_restore_from()
    {
        WriteSource(backupTarget: "");

        var e = await Assert.ThrowsAsync<LocalSetException>(() =>
            RunAsync("--into", Path.Combine(_root, "new"))
        );

        Assert.Contains("--restore-from", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_into_it_asks_for_a_new_folder()
    {
        WriteSource();

        var e = await Assert.ThrowsAsync<UsageException>(() => RunAsync());

        Assert.Contains("--into", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_source_set_s_own_folder_is_refused()
    {
        WriteSource();

        var e = await Assert.ThrowsAsync<UsageException>(() => RunAsync("--into", Source + "/"));

        Assert.Contains("source set's own folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_is_not_empty_is_refused_and_left_as_it_was()
    {
        WriteSource();
        var into = Path.Combine(_root, "used");
        Directory.CreateDirectory(into);
        var kept = Path.Combine(into, "something.txt");
        await File.WriteAllTextAsync(kept, "mine");

        var e = await Assert.ThrowsAsync<LocalSetException>(() => RunAsync("--into", into));

        Assert.Contains("not empty", e.Message, StringComparison.Ordinal);
        Assert.Equal(
            ["something.txt"],
            Directory.GetFileSystemEntries(into).Select(Path.GetFileName)
        );
        Assert.Equal("mine", await File.ReadAllTextAsync(kept));
    }

    private void WriteSource(string backupTarget = "file:/backups")
    {
        var paths = new SetPaths(Source);
        Directory.CreateDirectory(paths.StateDir);
        new SetStore(paths).WriteDesired(
            TestDesiredStates.ThreePods() with
            {
                BackupTarget = backupTarget,
            }
        );
    }

    private Task<int> RunAsync(params string[] options) =>
        RestoreCommand.RunAsync(
            LocalCommandLine.Parse(["restore", "--state-dir", Source, .. options]),
            TimeProvider.System,
            TextWriter.Null,
            CancellationToken.None
        );

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
