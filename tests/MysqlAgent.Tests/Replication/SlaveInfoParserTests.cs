using MysqlAgent.Replication.InfoFiles;
using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Tests.Replication;

public class SlaveInfoParserTests
{
    private const string Uuid1 = "c777888a-b6df-11e2-a604-080027635ef5";
    private const string Uuid2 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    public static TheoryData<string, string> EmptyFiles =>
        new()
        {
            { "zero bytes", "" },
            { "a newline", "\n" },
            { "spaces and tabs", " \t \n" },
        };

    [Theory]
    [MemberData(nameof(EmptyFiles))]
    public void An_empty_slave_info_means_the_donor_was_not_a_replica(string name, string text)
    {
        _ = name;
        Assert.Null(SlaveInfoParser.Parse("/d/xtrabackup_slave_info", text));
    }

    // name, text, expected file, expected position
    public static TheoryData<string, string, string, ulong> FilePositionFiles =>
        new()
        {
            {
                "XtraBackup 2.4 / MySQL 5.7",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=481;\n",
                "mysql-bin.000001",
                481
            },
            {
                "MariaDB 10.11 replica without GTID",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysqld-bin.000002', MASTER_LOG_POS=329;\n",
                "mysqld-bin.000002",
                329
            },
            {
                "without the trailing semicolon (the example strips it)",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=202228240",
                "mysql-bin.000001",
                202228240
            },
            {
                "lower case and odd spacing",
                "  change   master to\n master_log_file = 'mysql-bin.000009' ,master_log_pos=4 ; \n",
                "mysql-bin.000009",
                4
            },
            {
                "MySQL 8.4 source spelling",
                "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000002', SOURCE_LOG_POS=157;\n",
                "binlog.000002",
                157
            },
            {
                "the default channel named explicitly",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=481 FOR CHANNEL '';\n",
                "mysql-bin.000001",
                481
            },
        };

    [Theory]
    [MemberData(nameof(FilePositionFiles))]
    public void A_file_position_slave_info_parses_to_the_primary_coordinates(
        string name,
        string text,
        string file,
        ulong position
    )
    {
        _ = name;
        var start = Assert.IsType<FilePositionStart>(SlaveInfoParser.Parse("/d/f", text));

        Assert.Equal(file, start.Coordinates.File);
        Assert.Equal(position, start.Coordinates.Position);
    }

    public static TheoryData<string, string, string> MysqlGtidFiles =>
        new()
        {
            {
                "XtraBackup 8.0",
                $"SET GLOBAL gtid_purged='{Uuid1}:1-4';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1;\n",
                $"{Uuid1}:1-4"
            },
            {
                "XtraBackup 8.4 source spelling",
                $"SET GLOBAL gtid_purged='{Uuid1}:1-4';\nCHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1;\n",
                $"{Uuid1}:1-4"
            },
            {
                "multi-line set",
                $"SET GLOBAL gtid_purged='{Uuid1}:1-5,\n{Uuid2}:1-9';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1;\n",
                $"{Uuid2}:1-9,{Uuid1}:1-5"
            },
            {
                "mariabackup on MySQL (newlines turned into spaces)",
                $"SET GLOBAL gtid_purged='{Uuid1}:1-5, {Uuid2}:1-9';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1;\n",
                $"{Uuid2}:1-9,{Uuid1}:1-5"
            },
            {
                "@@GLOBAL spelling, no final semicolon",
                $"SET @@GLOBAL.gtid_purged = '{Uuid1}:1-4'; change master to master_auto_position = 1",
                $"{Uuid1}:1-4"
            },
        };

    [Theory]
    [MemberData(nameof(MysqlGtidFiles))]
    public void A_MySQL_GTID_slave_info_parses_to_the_purged_set(
        string name,
        string text,
        string canonical
    )
    {
        _ = name;
        var start = Assert.IsType<MysqlGtidStart>(SlaveInfoParser.Parse("/d/f", text));

        Assert.Equal(canonical, start.GtidPurged.Text);
    }

    public static TheoryData<string, string, string> MariaDbGtidFiles =>
        new()
        {
            {
                "MariaDB 10.11 (as observed)",
                "SET GLOBAL gtid_slave_pos = '0-100-14';\nCHANGE MASTER TO master_use_gtid = slave_pos;\n",
                "0-100-14"
            },
            {
                "MariaDB 11.x with two domains",
                "SET GLOBAL gtid_slave_pos = '1-101-3,0-100-14';\nCHANGE MASTER TO master_use_gtid = slave_pos;\n",
                "0-100-14,1-101-3"
            },
            {
                "compact spelling",
                "set global gtid_slave_pos='0-1-2';change master to MASTER_USE_GTID=SLAVE_POS",
                "0-1-2"
            },
        };

    [Theory]
    [MemberData(nameof(MariaDbGtidFiles))]
    public void A_MariaDB_GTID_slave_info_parses_to_the_slave_position(
        string name,
        string text,
        string canonical
    )
    {
        _ = name;
        var start = Assert.IsType<MariaDbGtidStart>(SlaveInfoParser.Parse("/d/f", text));

        Assert.Equal(canonical, start.SlavePosition.Text);
    }

    public static TheoryData<string, string, string> MalformedFiles =>
        new()
        {
            { "garbage SQL", "DROP TABLE x;", "expected an empty file" },
            {
                "injection after a valid file name",
                "CHANGE MASTER TO MASTER_LOG_FILE='a'; DROP DATABASE x; --'",
                "expected an empty file"
            },
            {
                "injection after a valid statement",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=4; DROP DATABASE x;",
                "expected an empty file"
            },
            {
                "escaped quote in the file name",
                @"CHANGE MASTER TO MASTER_LOG_FILE='a\', MASTER_LOG_POS=4; DROP DATABASE x; --', MASTER_LOG_POS=4;",
                "expected an empty file"
            },
            {
                "unknown statement",
                "CHANGE MASTER TO MASTER_HOST='evil', MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=4;",
                "expected an empty file"
            },
            {
                "non-numeric position",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=abc;",
                "expected an empty file"
            },
            {
                "position overflowing 64 bits",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=99999999999999999999;",
                "non-negative integer"
            },
            {
                "bad binlog file name",
                "CHANGE MASTER TO MASTER_LOG_FILE='../../etc/passwd', MASTER_LOG_POS=4;",
                "binlog file name"
            },
            {
                "named channel (multi-source)",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=4 FOR CHANNEL 'other';",
                "expected an empty file"
            },
            {
                "MariaDB named connection",
                "CHANGE MASTER 'm1' TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=4;",
                "expected an empty file"
            },
            {
                "bad MySQL GTID set",
                "SET GLOBAL gtid_purged='nonsense:1-5';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1;",
                "gtid_purged to be a MySQL GTID set"
            },
            {
                "bad MariaDB GTID",
                "SET GLOBAL gtid_slave_pos = '0-100';\nCHANGE MASTER TO master_use_gtid = slave_pos;",
                "gtid_slave_pos to be a MariaDB GTID position"
            },
            {
                "gtid_purged without auto-position",
                $"SET GLOBAL gtid_purged='{Uuid1}:1-4';",
                "expected an empty file"
            },
            {
                "MariaDB GTID with current_pos",
                "SET GLOBAL gtid_slave_pos = '0-1-2';\nCHANGE MASTER TO master_use_gtid = current_pos;",
                "expected an empty file"
            },
            {
                "two CHANGE statements (multi-source)",
                "CHANGE MASTER TO MASTER_LOG_FILE='a.000001', MASTER_LOG_POS=4;\nCHANGE MASTER TO MASTER_LOG_FILE='b.000001', MASTER_LOG_POS=4;",
                "expected an empty file"
            },
        };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Anything_but_the_tools_statements_is_refused(
        string name,
        string text,
        string expectedFragment
    )
    {
        _ = name;
        var error = Assert.Throws<InfoFileException>(() =>
            SlaveInfoParser.Parse("/var/lib/mysql/xtrabackup_slave_info", text)
        );

        Assert.StartsWith(
            "clone info file /var/lib/mysql/xtrabackup_slave_info: ",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
