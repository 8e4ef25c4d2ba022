using MysqlAgent.Clone;

namespace MysqlAgent.Tests.Clone;

public sealed class DataDirStateTests : IDisposable
{
    private readonly string _dir = Path.Combine(
        Path.GetTempPath(),
        "datadir-state-" + Guid.NewGuid().ToString("N")
    );

    public DataDirStateTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Touch(string relative)
    {
        var path = Path.Combine(_dir, relative);
        if (relative.EndsWith('/'))
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
        }
    }

    [Theory]
    [InlineData(DataDirKind.Empty)]
    [InlineData(DataDirKind.Empty, "lost+found/")]
    [InlineData(
        DataDirKind.CompleteClone,
        ".mysql-agent-clone-complete",
        "mysql/db.opt",
        "ibdata1"
    )]
    [InlineData(
        DataDirKind.CompleteClone,
        ".mysql-agent-clone-complete",
        ".mysql-agent-clone-in-progress",
        "mysql/db.opt"
    )]
    [InlineData(DataDirKind.InitialisedData, "mysql/db.opt", "ibdata1")]
    [InlineData(DataDirKind.InitialisedData, "mysql/", "lost+found/")]
    [InlineData(DataDirKind.InitialisedData, "mysql.ibd", "ibdata1")]
    [InlineData(DataDirKind.Partial, ".mysql-agent-clone-in-progress", "mysql/db.opt", "ibdata1")]
    [InlineData(DataDirKind.Partial, ".mysql-agent-clone-in-progress")]
    [InlineData(DataDirKind.Partial, ".mysql-agent-clone-staging/ibdata1")]
    [InlineData(DataDirKind.Partial, "ibdata1", "xtrabackup_checkpoints")]
    [InlineData(DataDirKind.Partial, "test/t.ibd")]
    [InlineData(
        DataDirKind.RecloneRequested,
        ".mysql-agent-reclone-requested",
        ".mysql-agent-clone-complete",
        "mysql/db.opt"
    )]
    [InlineData(DataDirKind.RecloneRequested, ".mysql-agent-reclone-requested", "mysql.ibd")]
    public void A_datadir_is_judged_by_its_markers_and_system_schema(
        DataDirKind expected,
        params string[] entries
    )
    {
        foreach (var entry in entries)
        {
            Touch(entry);
        }

        var state = DataDirState.Inspect(_dir);

        Assert.Equal(expected, state.Kind);
        Assert.Contains(_dir, state.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reclone_request_reads_back_and_names_a_sibling_folder_for_the_old_datadir()
    {
        var request = new RecloneRequest(
            "mysql-1.mysql:3307",
            4,
            "0-100-41",
            new DateTimeOffset(2026, 12, 1, 4, 5, 6, TimeSpan.Zero)
        );

        request.WriteTo(_dir);

        Assert.Equal(request, RecloneRequest.ReadFrom(_dir));
        Assert.Equal(
            _dir + ".errant-20261201T040506Z",
            RecloneRequest.AsidePath(_dir + "/", request.RequestedAt)
        );
        Assert.Null(RecloneRequest.ReadFrom(Path.Combine(_dir, "absent")));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{"donor":"","term":1,"errant":"x","requestedAt":"2026-12-01T00:00:00Z"}""")]
    public void A_damaged_reclone_request_is_an_error_naming_the_file_and_the_fix(string content)
    {
        File.WriteAllText(RecloneRequest.PathIn(_dir), content);

        var error = Assert.Throws<RecloneException>(() => RecloneRequest.ReadFrom(_dir));

        Assert.Equal(
            $"{RecloneRequest.PathIn(_dir)} is not a re-clone request written by mysql-agent; delete it to keep this datadir, or fix it to re-clone",
            error.Message
        );
    }

    [Fact]
    public void A_missing_datadir_is_empty() =>
        Assert.Equal(DataDirKind.Empty, DataDirState.Inspect(Path.Combine(_dir, "absent")).Kind);

    [Fact]
    public void Cleaning_a_partial_clone_removes_everything_but_lost_and_found()
    {
        Touch(".mysql-agent-clone-in-progress");
        Touch("mysql/db.opt");
        Touch(".mysql-agent-clone-staging/ibdata1");
        Touch("lost+found/");
        Touch("ibdata1");

        DataDirState.Clean(_dir);

        Assert.Equal(
            ["lost+found"],
            Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName)
        );
        Assert.Equal(DataDirKind.Empty, DataDirState.Inspect(_dir).Kind);
    }

    [Fact]
    public void Installing_moves_every_entry_and_leaves_a_complete_clone_with_its_info_files()
    {
        Touch(".mysql-agent-clone-staging/mysql/db.opt");
        Touch(".mysql-agent-clone-staging/ibdata1");
        Touch(".mysql-agent-clone-staging/xtrabackup_binlog_info");
        Touch(".mysql-agent-clone-staging/xtrabackup_checkpoints");
        var completion = new CloneCompletion(
            "mysql-0.mysql:3307",
            1234,
            "ab",
            DateTimeOffset.UnixEpoch,
            "mbstream"
        );

        var moved = CloneInstaller.Install(_dir, completion);

        Assert.Equal(4, moved);
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(_dir).Kind);
        Assert.True(File.Exists(Path.Combine(_dir, "xtrabackup_binlog_info")));
        Assert.True(File.Exists(Path.Combine(_dir, "mysql", "db.opt")));
        Assert.False(Directory.Exists(Path.Combine(_dir, ".mysql-agent-clone-staging")));
        Assert.False(File.Exists(Path.Combine(_dir, ".mysql-agent-clone-in-progress")));
        Assert.Equal(completion, CloneMarker.ReadComplete(_dir));
    }
}
