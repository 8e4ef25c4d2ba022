using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.InfoFiles;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Tests.Replication;

public sealed class CloneInfoLoaderTests : IDisposable
{
    private const string Uuid1 = "c777888a-b6df-11e2-a604-080027635ef5";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("clone-info-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private void Write(string name, string text) =>
        File.WriteAllText(Path.Combine(_dataDir, name), text);

    [Fact]
    public void A_datadir_without_info_files_was_not_cloned()
    {
        var error = Assert.Throws<NoCloneInfoException>(() => CloneInfoLoader.Load(_dataDir));

        Assert.Equal(
            $"no clone info files in {_dataDir}: this pod was not cloned",
            error.Message[..(error.Message.IndexOf(" (", StringComparison.Ordinal))]
        );
    }

    [Theory]
    [InlineData("xtrabackup_binlog_info")]
    [InlineData("mariadb_backup_binlog_info")]
    public void A_clone_of_the_primary_starts_at_the_primary_binlog_position(string name)
    {
        Write(name, "mysql-bin.000001\t202226997\t0-100-9\n");

        var info = CloneInfoLoader.Load(_dataDir);

        Assert.Equal(CloneOrigin.Primary, info.Origin);
        Assert.Equal(Path.Combine(_dataDir, name), info.BinlogInfoPath);
        Assert.Equal(
            new FilePositionStart(BinlogCoordinates.Create("mysql-bin.000001", 202226997)),
            info.ChooseStart(ServerFlavor.MariaDb, useGtid: false)
        );
        Assert.Equal(
            new MariaDbGtidStart(MariaDbGtidPosition.Parse("0-100-9")),
            info.ChooseStart(ServerFlavor.MariaDb, useGtid: true)
        );
    }

    [Fact]
    public void An_empty_slave_info_next_to_binlog_info_is_a_clone_of_the_primary()
    {
        Write("xtrabackup_binlog_info", "mysqld-bin.000002\t329\t");
        Write("xtrabackup_slave_info", "");

        var info = CloneInfoLoader.Load(_dataDir);

        Assert.Equal(CloneOrigin.Primary, info.Origin);
        Assert.Equal(
            new MariaDbGtidStart(MariaDbGtidPosition.Empty),
            info.ChooseStart(ServerFlavor.MariaDb, useGtid: true)
        );
    }

    [Theory]
    [InlineData("xtrabackup_slave_info")]
    [InlineData("mariadb_backup_slave_info")]
    public void A_non_empty_slave_info_wins_over_the_replica_own_binlog_position(string name)
    {
        Write("xtrabackup_binlog_info", "replica-bin.000009\t777\t0-101-3\n");
        Write(
            name,
            "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=202228240;\n"
        );

        var info = CloneInfoLoader.Load(_dataDir);

        Assert.Equal(CloneOrigin.Replica, info.Origin);
        Assert.Equal(
            new FilePositionStart(BinlogCoordinates.Create("mysql-bin.000001", 202228240)),
            info.ChooseStart(ServerFlavor.MariaDb, useGtid: false)
        );
        // The MariaDB replica's own GTID position is not trusted as a start.
        Assert.Null(info.GtidStart(ServerFlavor.MariaDb));
        Assert.Throws<InfoFileException>(() =>
            info.ChooseStart(ServerFlavor.MariaDb, useGtid: true)
        );
    }

    [Fact]
    public void A_MySQL_replica_clone_by_file_position_can_still_auto_position_from_its_executed_set()
    {
        Write("xtrabackup_binlog_info", $"binlog.000003\t900\t{Uuid1}:1-40\n");
        Write(
            "xtrabackup_slave_info",
            "CHANGE MASTER TO MASTER_LOG_FILE='binlog.000001', MASTER_LOG_POS=5000;\n"
        );

        var info = CloneInfoLoader.Load(_dataDir);

        Assert.Equal(
            new MysqlGtidStart(MysqlGtidSet.Parse($"{Uuid1}:1-40")),
            info.ChooseStart(ServerFlavor.MySql, useGtid: true)
        );
    }

    [Fact]
    public void A_MySQL_GTID_replica_clone_has_no_file_position_for_the_primary()
    {
        Write("xtrabackup_binlog_info", $"binlog.000003\t900\t{Uuid1}:1-40\n");
        Write(
            "xtrabackup_slave_info",
            $"SET GLOBAL gtid_purged='{Uuid1}:1-40';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1;\n"
        );

        var info = CloneInfoLoader.Load(_dataDir);

        Assert.Equal(CloneOrigin.Replica, info.Origin);
        Assert.Null(info.FilePositionStart);
        Assert.IsType<MysqlGtidStart>(info.ChooseStart(ServerFlavor.MySql, useGtid: true));
        var error = Assert.Throws<InfoFileException>(() =>
            info.ChooseStart(ServerFlavor.MySql, useGtid: false)
        );
        Assert.Contains("replicated by GTID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_MySQL_clone_without_GTIDs_has_no_GTID_start()
    {
        Write("xtrabackup_binlog_info", "mysql-bin.000003\t154\n");

        var info = CloneInfoLoader.Load(_dataDir);

        Assert.Null(info.GtidStart(ServerFlavor.MySql));
        Assert.Throws<InfoFileException>(() => info.ChooseStart(ServerFlavor.MySql, useGtid: true));
    }

    [Fact]
    public void A_clone_of_the_other_server_family_is_refused()
    {
        Write("xtrabackup_binlog_info", "mysql-bin.000001\t4\t0-100-9\n");

        var info = CloneInfoLoader.Load(_dataDir);

        var error = Assert.Throws<InfoFileException>(() => info.GtidStart(ServerFlavor.MySql));
        Assert.Contains("this server is MySQL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_namings_present_at_once_is_ambiguous()
    {
        Write("xtrabackup_binlog_info", "mysql-bin.000001\t4\t0-100-9\n");
        Write("mariadb_backup_binlog_info", "mysql-bin.000001\t8\t0-100-10\n");

        var error = Assert.Throws<InfoFileException>(() => CloneInfoLoader.Load(_dataDir));

        Assert.Contains(
            "only one of xtrabackup_binlog_info and mariadb_backup_binlog_info",
            error.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void An_empty_slave_info_without_binlog_info_says_binary_logging_was_off()
    {
        Write("xtrabackup_slave_info", "");

        var error = Assert.Throws<InfoFileException>(() => CloneInfoLoader.Load(_dataDir));

        Assert.Contains("binary logging on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_slave_info_fails_even_when_binlog_info_is_fine()
    {
        Write("xtrabackup_binlog_info", "mysql-bin.000001\t4\t0-100-9\n");
        Write("xtrabackup_slave_info", "DROP TABLE x;");

        var error = Assert.Throws<InfoFileException>(() => CloneInfoLoader.Load(_dataDir));

        Assert.Equal(Path.Combine(_dataDir, "xtrabackup_slave_info"), error.Path);
    }

    [Fact]
    public void An_oversized_info_file_is_not_read()
    {
        Write("xtrabackup_binlog_info", new string('x', 2 * 1024 * 1024));

        var error = Assert.Throws<InfoFileException>(() => CloneInfoLoader.Load(_dataDir));

        Assert.Contains("a small text file", error.Message, StringComparison.Ordinal);
    }
}
