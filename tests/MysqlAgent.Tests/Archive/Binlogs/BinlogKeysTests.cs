using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Tests.Archive.Binlogs;

public sealed class BinlogKeysTests
{
    [Fact]
    public void Two_servers_archiving_the_same_file_name_in_the_same_second_get_different_keys()
    {
        var now = new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
        var a = BinlogKeys.NewId(now, "mysql-0", "mysql-bin.000001");
        var b = BinlogKeys.NewId(now, "mysql-1", "mysql-bin.000001");
        var again = BinlogKeys.NewId(now, "mysql-0", "mysql-bin.000001");

        Assert.StartsWith(
            "20261207T020000Z-mysql-0-mysql-bin.000001-",
            a,
            StringComparison.Ordinal
        );
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, again);
        Assert.Equal("binlogs/" + a + "/mysql-bin.000001", BinlogKeys.Data(a, "mysql-bin.000001"));
        Assert.Equal(a, BinlogKeys.IdOfManifest(BinlogKeys.Manifest(a)));
    }

    [Theory]
    [InlineData("binlogs/20261207T020000Z-mysql-0-mysql-bin.000001-abcdef/mysql-bin.000001")]
    [InlineData("binlogs/manifest.json")]
    [InlineData("binlogs/a/b/manifest.json")]
    [InlineData("backups/x/manifest.json")]
    public void Only_a_manifest_directly_under_its_folder_names_an_archived_binlog(string key)
    {
        Assert.Null(BinlogKeys.IdOfManifest(key));
    }
}
