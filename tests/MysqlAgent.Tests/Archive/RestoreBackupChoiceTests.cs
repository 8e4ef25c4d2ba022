using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Tests.Archive;

public sealed class RestoreBackupChoiceTests
{
    private static readonly BackupManifest[] Backups =
    [
        Backup("b1", "12:00:00", "0-1-100"),
        Backup("b2", "13:00:00", "0-1-200"),
        Backup("b3", "14:00:00", "0-1-300"),
    ];

    [Theory]
    [InlineData("13:00:00Z", "b2")]
    [InlineData("13:59:59Z", "b2")]
    [InlineData("15:00:00Z", "b3")]
    public void A_time_picks_the_newest_backup_finished_at_or_before_it(string time, string id)
    {
        var (backup, target) = RestoreBackupChoice.Choose(Backups, At(time), null, "file:/b");

        Assert.Equal(id, backup.Id);
        Assert.Equal(new RestoreTarget.ToTime(At(time)), target);
    }

    [Theory]
    [InlineData("0-1-200", "b2")]
    [InlineData("0-1-299", "b2")]
    [InlineData("0-1-300", "b3")]
    public void A_gtid_picks_the_newest_backup_not_beyond_it(string gtid, string id)
    {
        var (backup, _) = RestoreBackupChoice.Choose(Backups, null, gtid, "file:/b");

        Assert.Equal(id, backup.Id);
    }

    [Fact]
    public void Latest_picks_the_newest_backup()
    {
        var (backup, target) = RestoreBackupChoice.Choose(Backups, null, null, "file:/b");

        Assert.Equal("b3", backup.Id);
        Assert.IsType<RestoreTarget.Latest>(target);
    }

    [Theory]
    [InlineData(
        "time",
        "is before the oldest backup in file:/b (b1, finished 2026-12-07T12:00:00Z"
    )]
    [InlineData(
        "gtid",
        "is before the oldest backup in file:/b (b1, finished 2026-12-07T12:00:00Z"
    )]
    [InlineData("bad", "--to-gtid 'uuid:1-5' is not a mariadb GTID position")]
    public void No_fitting_backup_or_a_foreign_gtid_is_refused_in_one_line(
        string kind,
        string expected
    )
    {
        var e = Assert.Throws<RestoreFailedException>(() =>
            kind switch
            {
                "time" => RestoreBackupChoice.Choose(Backups, At("11:00:00Z"), null, "file:/b"),
                "gtid" => RestoreBackupChoice.Choose(Backups, null, "0-1-50", "file:/b"),
                _ => RestoreBackupChoice.Choose(Backups, null, "uuid:1-5", "file:/b"),
            }
        );

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_gtid_target_on_mysql_is_refused_for_now()
    {
        var mysql = Backup("m1", "12:00:00", null) with { Flavour = "mysql" };

        var e = Assert.Throws<RestoreFailedException>(() =>
            RestoreBackupChoice.Choose(
                [mysql],
                null,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:5",
                "file:/b"
            )
        );

        Assert.Equal("--to-gtid is MariaDB-only for now; use --to-time", e.Message);
    }

    private static DateTimeOffset At(string time) =>
        DateTimeOffset.Parse(
            "2026-12-07T" + time.TrimEnd('Z') + "Z",
            System.Globalization.CultureInfo.InvariantCulture
        );

    private static BackupManifest Backup(string id, string finished, string? gtidAfter) =>
        TestManifests.Backup(id, At(finished), gtidAfter);
}
