using MysqlAgent.Replication.Positions;

namespace MysqlAgent.Tests.Replication;

public class GtidPositionTests
{
    private const string Uuid1 = "c777888a-b6df-11e2-a604-080027635ef5";
    private const string Uuid2 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    [Theory]
    [InlineData("", "")]
    [InlineData($"{Uuid1}:1-5", $"{Uuid1}:1-5")]
    [InlineData($"{Uuid1}:7-9:1-5", $"{Uuid1}:1-5:7-9")]
    [InlineData($"{Uuid1}:1-5:6-9", $"{Uuid1}:1-9")]
    [InlineData($"{Uuid1}:3:1-2", $"{Uuid1}:1-3")]
    [InlineData($"{Uuid1}:5", $"{Uuid1}:5")]
    [InlineData($"{Uuid1}:1-5,\n{Uuid2}:1-9", $"{Uuid2}:1-9,{Uuid1}:1-5")]
    [InlineData("C777888A-B6DF-11E2-A604-080027635EF5:1-5", $"{Uuid1}:1-5")]
    [InlineData($"{Uuid1}:1-3,{Uuid1}:4-6", $"{Uuid1}:1-6")]
    [InlineData($"{Uuid1}:1-3:ETL:1-2", $"{Uuid1}:1-3:etl:1-2")]
    public void MySQL_GTID_sets_parse_to_a_canonical_form(string text, string canonical)
    {
        Assert.Equal(canonical, MysqlGtidSet.Parse(text).Text);
    }

    [Fact]
    public void The_same_set_spelled_differently_is_equal()
    {
        Assert.Equal(
            MysqlGtidSet.Parse($"{Uuid1.ToUpperInvariant()}:1-5,\n{Uuid2}:1-9"),
            MysqlGtidSet.Parse($"{Uuid2}:1-9,{Uuid1}:1-3:4-5")
        );
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData($"{Uuid1}")]
    [InlineData($"{Uuid1}:")]
    [InlineData($"{Uuid1}:0-5")]
    [InlineData($"{Uuid1}:5-1")]
    [InlineData($"{Uuid1}:1-5,")]
    [InlineData($"{Uuid1}:tag")]
    [InlineData($"{Uuid1}:1-5:tag")]
    [InlineData($"{Uuid1}:1-99999999999999999999")]
    [InlineData($"{Uuid1}:1-5'; DROP TABLE x; --")]
    [InlineData("c777888a-b6df-11e2-a604-080027635ef:1-5")]
    public void Malformed_MySQL_GTID_sets_are_refused(string text)
    {
        Assert.False(MysqlGtidSet.TryParse(text, out _, out var error));
        Assert.Contains("MySQL GTID set", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("0-100-14", "0-100-14")]
    [InlineData("1-101-3, 0-100-14", "0-100-14,1-101-3")]
    [InlineData(
        "4294967295-4294967295-18446744073709551615",
        "4294967295-4294967295-18446744073709551615"
    )]
    public void MariaDB_GTID_positions_parse_to_a_canonical_form(string text, string canonical)
    {
        Assert.Equal(canonical, MariaDbGtidPosition.Parse(text).Text);
    }

    [Theory]
    [InlineData("0-100")]
    [InlineData("0-100-14-2")]
    [InlineData("a-b-c")]
    [InlineData("0-100-14,")]
    [InlineData("4294967296-1-1")]
    [InlineData("0-1-5,0-2-6")]
    [InlineData("0-1--5")]
    public void Malformed_MariaDB_GTID_positions_are_refused(string text)
    {
        Assert.False(MariaDbGtidPosition.TryParse(text, out _, out _));
    }

    [Theory]
    [InlineData("mysql-bin.000001")]
    [InlineData("mysqld-bin.000002")]
    [InlineData("binlog.000123")]
    [InlineData("host_name-bin.1")]
    public void Binlog_file_names_from_the_servers_are_accepted(string file)
    {
        Assert.Equal(file, BinlogCoordinates.Create(file, 4).File);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mysql-bin")]
    [InlineData("mysql-bin.")]
    [InlineData(".000001")]
    [InlineData("/var/lib/mysql/mysql-bin.000001")]
    [InlineData("mysql bin.000001")]
    [InlineData("mysql-bin'.000001")]
    [InlineData("mysql-bin.000001\n")]
    public void Anything_else_as_a_binlog_file_name_is_refused(string file)
    {
        Assert.Throws<FormatException>(() => BinlogCoordinates.Create(file, 4));
    }
}
