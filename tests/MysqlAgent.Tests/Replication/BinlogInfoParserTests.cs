using MysqlAgent.Replication.InfoFiles;

namespace MysqlAgent.Tests.Replication;

public class BinlogInfoParserTests
{
    private const string Uuid1 = "c777888a-b6df-11e2-a604-080027635ef5";
    private const string Uuid2 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    // name, file text, expected file, expected position, expected GTID field (null = absent), kind
    public static TheoryData<string, string, string, ulong, string?, string> ValidFiles =>
        new()
        {
            {
                "MySQL 5.7 XtraBackup 2.4 without GTID",
                "mysql-bin.000003\t154\n",
                "mysql-bin.000003",
                154,
                null,
                "none"
            },
            {
                "MySQL 8.0 with one GTID range",
                $"mysql-bin.000002\t1232\t{Uuid1}:1-4\n",
                "mysql-bin.000002",
                1232,
                $"{Uuid1}:1-4",
                "mysql"
            },
            {
                "MySQL 8.4 with a GTID set over several lines",
                $"binlog.000007\t197\t{Uuid1}:1-5,\n{Uuid2}:1-9\n",
                "binlog.000007",
                197,
                $"{Uuid1}:1-5,\n{Uuid2}:1-9",
                "mysql"
            },
            {
                "MySQL with gaps and upper-case UUID",
                $"mysql-bin.000002\t1232\t{Uuid1.ToUpperInvariant()}:1-5:7-9\n",
                "mysql-bin.000002",
                1232,
                $"{Uuid1.ToUpperInvariant()}:1-5:7-9",
                "mysql"
            },
            {
                "MySQL 8.4 with a tagged GTID",
                $"binlog.000001\t500\t{Uuid1}:1-3:etl:1-2\n",
                "binlog.000001",
                500,
                $"{Uuid1}:1-3:etl:1-2",
                "mysql"
            },
            {
                "MariaDB 10.11 with a GTID",
                "mysql-bin.000001\t202226997\t0-100-9\n",
                "mysql-bin.000001",
                202226997,
                "0-100-9",
                "mariadb"
            },
            {
                "MariaDB 10.11 fresh primary with an empty third field",
                "mysqld-bin.000002\t329\t",
                "mysqld-bin.000002",
                329,
                "",
                "none"
            },
            {
                "MariaDB fresh primary with trailing tab and newline",
                "mysqld-bin.000002\t329\t\n",
                "mysqld-bin.000002",
                329,
                "",
                "none"
            },
            {
                "MariaDB 11.x with two domains",
                "mariadb-bin.000004\t1024\t0-100-14,1-101-3\n",
                "mariadb-bin.000004",
                1024,
                "0-100-14,1-101-3",
                "mariadb"
            },
            {
                "MariaDB listing older binlogs with [] before the current one",
                "mysql-bin.000001\t4096\t[]\nmysql-bin.000002\t342\t0-1-7\n",
                "mysql-bin.000002",
                342,
                "0-1-7",
                "mariadb"
            },
            {
                "Fields separated by spaces as the docs print them",
                $"mysql-bin.000002    1232        {Uuid1}:1-4",
                "mysql-bin.000002",
                1232,
                $"{Uuid1}:1-4",
                "mysql"
            },
            {
                "Windows line endings",
                "mysql-bin.000003\t154\r\n",
                "mysql-bin.000003",
                154,
                null,
                "none"
            },
        };

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Binlog_info_written_by_the_tools_parses(
        string name,
        string text,
        string file,
        ulong position,
        string? gtidField,
        string kind
    )
    {
        _ = name;
        var info = BinlogInfoParser.Parse("/data/xtrabackup_binlog_info", text);

        Assert.Equal(file, info.Coordinates.File);
        Assert.Equal(position, info.Coordinates.Position);
        if (gtidField is not null)
        {
            Assert.Equal(gtidField, info.GtidField);
        }

        Assert.Equal(kind == "mysql", info.MysqlGtid is not null);
        Assert.Equal(kind == "mariadb", info.MariaDbGtid is not null);
    }

    [Fact]
    public void A_multi_line_GTID_set_is_canonical_after_parsing()
    {
        var info = BinlogInfoParser.Parse(
            "/d/f",
            $"binlog.000007\t197\t{Uuid1}:1-5,\n{Uuid2}:1-9\n"
        );

        Assert.Equal($"{Uuid2}:1-9,{Uuid1}:1-5", info.MysqlGtid!.Text);
    }

    public static TheoryData<string, string, string> MalformedFiles =>
        new()
        {
            { "empty file", "", "expected '<binlog file>" },
            { "two fields missing", "mysql-bin.000001\n", "expected '<binlog file>" },
            { "non-numeric position", "mysql-bin.000001\tabc\n", "non-negative integer" },
            { "negative position", "mysql-bin.000001\t-5\n", "non-negative integer" },
            {
                "position overflowing 64 bits",
                "mysql-bin.000001\t99999999999999999999\n",
                "non-negative integer"
            },
            { "file name with a quote", "mysql-bin'.000001\t4\n", "expected '<binlog file>" },
            {
                "file name that is a path",
                "/var/lib/mysql/mysql-bin.000001\t4\n",
                "expected '<binlog file>"
            },
            { "SQL instead of a position", "DROP TABLE x;\n", "expected '<binlog file>" },
            { "bad MySQL GTID interval", $"mysql-bin.000001\t4\t{Uuid1}:5-1\n", "MySQL GTID set" },
            { "bad MySQL UUID", "mysql-bin.000001\t4\tnot-a-uuid:1-5\n", "MySQL GTID set" },
            {
                "MySQL GTID set continued without a comma",
                $"mysql-bin.000001\t4\t{Uuid1}:1-5\n{Uuid2}:1-9\n",
                "expected '<binlog file>"
            },
            { "bad MariaDB GTID", "mysql-bin.000001\t4\t0-100\n", "MariaDB GTID position" },
            {
                "MariaDB GTID with a duplicate domain",
                "mysql-bin.000001\t4\t0-1-5,0-2-6\n",
                "MariaDB GTID position"
            },
            {
                "two positions with GTIDs",
                "mysql-bin.000001\t4\t0-1-5\nmysql-bin.000002\t8\t0-1-6\n",
                "one binlog position"
            },
            {
                "trailing garbage line",
                "mysql-bin.000001\t4\t0-1-5\n; DROP DATABASE x\n",
                "expected '<binlog file>"
            },
        };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_binlog_info_is_refused_with_a_one_line_message_naming_the_file(
        string name,
        string text,
        string expectedFragment
    )
    {
        _ = name;
        var error = Assert.Throws<InfoFileException>(() =>
            BinlogInfoParser.Parse("/var/lib/mysql/xtrabackup_binlog_info", text)
        );

        Assert.Equal("/var/lib/mysql/xtrabackup_binlog_info", error.Path);
        Assert.Contains(
            "/var/lib/mysql/xtrabackup_binlog_info",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void A_huge_malformed_file_is_quoted_only_by_a_short_excerpt()
    {
        var text = "garbage " + new string('x', 10_000);

        var error = Assert.Throws<InfoFileException>(() => BinlogInfoParser.Parse("/d/f", text));

        Assert.True(error.Message.Length < 400, error.Message);
    }
}
