using MysqlAgent.Clone;

namespace MysqlAgent.Tests.Clone;

/// <summary>
/// The datadirs a re-clone moves aside, on a real folder: the bound <c>--keep-errant-datadirs</c>,
/// and the room rule, with the volume's free space given by the test.
/// </summary>
public sealed class ErrantDataDirsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 13, 0, 0, TimeSpan.Zero);
    private const long DataBytes = 1000;

    private readonly string _volume = Directory.CreateTempSubdirectory("errant-datadirs-").FullName;

    private string DataDir => Path.Combine(_volume, "mysql");

    public ErrantDataDirsTests() => WriteDataDir(DataDir, "only_on_the_old_primary");

    public void Dispose() => Directory.Delete(_volume, recursive: true);

    [Fact]
    public void The_datadir_moves_aside_whole_and_an_empty_one_takes_its_place()
    {
        var moved = new ErrantDataDirs(1, _ => 10 * DataBytes).MoveAside(DataDir, Now);

        Assert.True(moved.Kept);
        Assert.Equal(DataDir + ".errant-20261207T130000Z", moved.Aside);
        Assert.Equal(DataBytes, moved.Bytes);
        Assert.True(File.Exists(Path.Combine(moved.Aside, "only_on_the_old_primary", "t.ibd")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(DataDir));
        Assert.Empty(moved.DeletedOlder);
    }

    [Fact]
    public void Beyond_the_bound_the_oldest_copies_are_deleted_and_the_new_one_kept()
    {
        var oldest = DataDir + ".errant-20261101T000000Z";
        var older = DataDir + ".errant-20261201T000000Z";
        WriteDataDir(oldest, "first");
        WriteDataDir(older, "second");

        var moved = new ErrantDataDirs(2, _ => 10 * DataBytes).MoveAside(DataDir, Now);

        Assert.Equal([oldest], moved.DeletedOlder);
        Assert.False(Directory.Exists(oldest));
        Assert.True(Directory.Exists(older));
        Assert.True(Directory.Exists(moved.Aside));
        Assert.Equal([older, moved.Aside], ErrantDataDirs.CopiesOf(DataDir));
    }

    [Fact]
    public void Keeping_none_deletes_the_new_copy_and_every_older_one()
    {
        var older = DataDir + ".errant-20261201T000000Z";
        WriteDataDir(older, "second");

        // No room at all: with nothing kept, the room rule does not apply.
        var moved = new ErrantDataDirs(0, _ => 0).MoveAside(DataDir, Now);

        Assert.False(moved.Kept);
        Assert.Equal([older], moved.DeletedOlder);
        Assert.Empty(ErrantDataDirs.CopiesOf(DataDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(DataDir));
    }

    [Fact]
    public void Without_room_for_the_clone_beside_the_copy_nothing_changes_and_the_message_names_the_fix()
    {
        var needed = ErrantDataDirs.RoomNeeded(DataBytes);
        Assert.Equal(1100, needed);

        var e = Assert.Throws<RecloneException>(() =>
            new ErrantDataDirs(1, _ => needed - 1).MoveAside(DataDir, Now)
        );

        Assert.Contains("1099 bytes free", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs 1100", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", e.Message, StringComparison.Ordinal);
        Assert.Contains("--keep-errant-datadirs 0", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DataDir, "only_on_the_old_primary", "t.ibd")));
        Assert.Empty(ErrantDataDirs.CopiesOf(DataDir));
    }

    [Fact]
    public void The_older_copy_the_bound_deletes_counts_as_room_and_is_kept_when_still_short()
    {
        var older = DataDir + ".errant-20261201T000000Z";
        WriteDataDir(older, "second");

        // Deleting the older copy (1000 bytes) frees enough: 100 + 1000 >= 1100.
        var moved = new ErrantDataDirs(1, _ => 100).MoveAside(DataDir, Now);
        Assert.Equal([older], moved.DeletedOlder);
        Assert.True(moved.Kept);

        // Once more with 99 free: short, and neither the datadir nor the copy is touched.
        WriteDataDir(DataDir, "again");
        Assert.Throws<RecloneException>(() =>
            new ErrantDataDirs(1, _ => 99).MoveAside(DataDir, Now.AddHours(1))
        );
        Assert.True(Directory.Exists(moved.Aside));
        Assert.True(File.Exists(Path.Combine(DataDir, "again", "t.ibd")));
    }

    [Fact]
    public void The_free_space_is_read_on_the_volume_that_holds_the_datadir()
    {
        var asked = new List<string>();
        new ErrantDataDirs(
            1,
            path =>
            {
                asked.Add(path);
                return 10 * DataBytes;
            }
        ).MoveAside(DataDir, Now);

        Assert.Equal([_volume], asked);
        Assert.True(ErrantDataDirs.AvailableBytesOn(_volume) > 0);
    }

    private static void WriteDataDir(string dir, string database)
    {
        Directory.CreateDirectory(Path.Combine(dir, database));
        File.WriteAllBytes(Path.Combine(dir, database, "t.ibd"), new byte[DataBytes]);
    }
}
