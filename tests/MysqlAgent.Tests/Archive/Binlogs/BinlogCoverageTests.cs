using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Tests.Archive.Binlogs;

public sealed class BinlogCoverageTests
{
    private const string Uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private const string Other = "4a22fb58-82db-22f2-af44-d91bb0530673";

    [Theory]
    // A Gtid_list event names every server id seen in a domain; the highest sequence is the position.
    [InlineData("[0-1-5,0-2-9]", "0-2-9")]
    [InlineData("[0-2-9,0-1-5]", "0-2-9")]
    [InlineData("[0-1-5, 1-1-3]", "0-1-5,1-1-3")]
    [InlineData("[]", "")]
    [InlineData("", "")]
    [InlineData("0-1-5", "0-1-5")]
    public void A_MariaDB_gtid_list_reads_as_the_highest_sequence_per_domain(
        string text,
        string expected
    )
    {
        Assert.Equal(expected, BinlogCoverage.Parse(BinlogCoverage.MariaDbFlavour, text).Text);
    }

    [Theory]
    [InlineData("0-1-9", "0-1-5", true)]
    [InlineData("0-1-9", "0-1-9", true)]
    [InlineData("0-1-5", "0-1-9", false)]
    // sequences compare per domain, whatever the server id
    [InlineData("0-2-9", "0-1-9", true)]
    [InlineData("0-1-9", "0-1-9,1-1-1", false)]
    [InlineData("0-1-9,1-1-1", "0-1-9", true)]
    [InlineData("", "", true)]
    [InlineData("0-1-1", "", true)]
    [InlineData("", "0-1-1", false)]
    public void MariaDB_coverage_contains_another_when_every_domain_reaches_as_far(
        string covering,
        string covered,
        bool expected
    )
    {
        Assert.Equal(
            expected,
            BinlogCoverage
                .Parse(BinlogCoverage.MariaDbFlavour, covering)
                .Contains(BinlogCoverage.Parse(BinlogCoverage.MariaDbFlavour, covered))
        );
    }

    [Fact]
    public void MariaDB_union_keeps_the_highest_sequence_of_each_domain()
    {
        var union = BinlogCoverage
            .Parse(BinlogCoverage.MariaDbFlavour, "0-1-9,1-1-2")
            .Union(BinlogCoverage.Parse(BinlogCoverage.MariaDbFlavour, "0-2-12"));
        Assert.True(
            union.Contains(BinlogCoverage.Parse(BinlogCoverage.MariaDbFlavour, "0-2-12,1-1-2"))
        );
        Assert.False(union.Contains(BinlogCoverage.Parse(BinlogCoverage.MariaDbFlavour, "0-2-13")));
    }

    [Theory]
    [InlineData(Uuid + ":1-10", Uuid + ":3-7", true)]
    [InlineData(Uuid + ":1-10", Uuid + ":1-11", false)]
    [InlineData(Uuid + ":1-10", Other + ":1", false)]
    [InlineData(Uuid + ":1-10," + Other + ":1-2", Other + ":2", true)]
    [InlineData("", "", true)]
    public void MySQL_coverage_is_gtid_set_inclusion(string covering, string covered, bool expected)
    {
        Assert.Equal(
            expected,
            BinlogCoverage
                .Parse(BinlogCoverage.MysqlFlavour, covering)
                .Contains(BinlogCoverage.Parse(BinlogCoverage.MysqlFlavour, covered))
        );
    }

    [Fact]
    public void A_MySQL_previous_gtids_text_over_several_lines_parses()
    {
        var set = BinlogCoverage.Parse(
            BinlogCoverage.MysqlFlavour,
            Uuid + ":1-10,\n" + Other + ":1-2"
        );
        Assert.True(
            set.Contains(BinlogCoverage.Parse(BinlogCoverage.MysqlFlavour, Other + ":1-2"))
        );
    }

    [Fact]
    public void Positions_of_two_flavours_are_never_compared()
    {
        var maria = BinlogCoverage.Parse(BinlogCoverage.MariaDbFlavour, "0-1-1");
        var mysql = BinlogCoverage.Parse(BinlogCoverage.MysqlFlavour, Uuid + ":1");
        Assert.Throws<InvalidOperationException>(() => maria.Contains(mysql));
    }

    [Theory]
    [InlineData("mariadb", "0-1")]
    [InlineData("mariadb", "not-a-gtid")]
    [InlineData("postgres", "0-1-1")]
    public void A_text_that_is_no_position_of_the_flavour_is_a_format_error(
        string flavour,
        string text
    )
    {
        Assert.Throws<FormatException>(() => BinlogCoverage.Parse(flavour, text));
    }
}
