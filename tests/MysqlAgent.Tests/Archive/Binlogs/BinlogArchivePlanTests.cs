using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Tests.Archive.Binlogs;

public sealed class BinlogArchivePlanTests
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);

    private static BinlogCoverage Maria(string text) =>
        BinlogCoverage.Parse(BinlogCoverage.MariaDbFlavour, text);

    private static LocalBinlog File(string name, string start) =>
        new(name, "/var/lib/mysql/" + name, 1024, Maria(start));

    [Fact]
    public void Every_file_but_the_one_being_written_is_closed_and_ends_where_the_next_starts()
    {
        var closed = BinlogArchivePlan.Closed([
            File("mysql-bin.000001", ""),
            File("mysql-bin.000002", "0-1-5"),
            File("mysql-bin.000003", "0-1-9"),
        ]);

        Assert.Equal(
            [("mysql-bin.000001", "0-1-5"), ("mysql-bin.000002", "0-1-9")],
            closed.Select(c => (c.File.Name, c.End.Text))
        );
    }

    [Fact]
    public void A_server_with_one_file_has_nothing_closed()
    {
        Assert.Empty(BinlogArchivePlan.Closed([File("mysql-bin.000001", "0-1-5")]));
    }

    [Theory]
    // written beyond the active file's start, open for the whole interval: rotate
    [InlineData("0-1-5", "0-1-6", 60, 60, false, true)]
    // not yet open for the interval
    [InlineData("0-1-5", "0-1-6", 59, 60, false, false)]
    // forced, whatever the interval
    [InlineData("0-1-5", "0-1-6", 1, 60, true, true)]
    // nothing written since the file opened: a quiet server is not rotated into empty files
    [InlineData("0-1-5", "0-1-5", 600, 60, false, false)]
    [InlineData("0-1-5", "0-1-5", 600, 60, true, false)]
    // interval 0 turns the timer off, a forced rotation still happens
    [InlineData("0-1-5", "0-1-6", 86400, 0, false, false)]
    [InlineData("0-1-5", "0-1-6", 1, 0, true, true)]
    // a write in a second domain counts
    [InlineData("0-1-5", "0-1-5,1-2-1", 60, 60, false, true)]
    public void A_rotation_is_due_when_the_active_file_holds_a_transaction_and_the_interval_passed_or_it_is_forced(
        string activeStart,
        string written,
        int openSeconds,
        int intervalSeconds,
        bool force,
        bool expected
    )
    {
        Assert.Equal(
            expected,
            BinlogArchivePlan.ShouldRotate(
                File("mysql-bin.000002", activeStart),
                Opened,
                Maria(written),
                Opened.AddSeconds(openSeconds),
                TimeSpan.FromSeconds(intervalSeconds),
                force
            )
        );
    }

    [Theory]
    // an empty archive: the file goes up and starts the chain, no gap
    [InlineData("", "0-1-3", "0-1-9", true, false)]
    // the archive already holds everything the file holds: not uploaded again
    [InlineData("0-1-9", "0-1-3", "0-1-9", false, false)]
    [InlineData("0-1-12", "0-1-3", "0-1-9", false, false)]
    // continues the archive exactly
    [InlineData("0-1-3", "0-1-3", "0-1-9", true, false)]
    // overlaps the archive (a new primary whose first file starts before the fork point): no gap
    [InlineData("0-1-5", "0-1-3", "0-1-9", true, false)]
    // after a failover: the new primary's server id differs, the domain's sequence continues
    [InlineData("0-1-9", "0-2-9", "0-2-14", true, false)]
    // starts beyond what the archive holds: uploaded, and a gap before it
    [InlineData("0-1-3", "0-1-5", "0-1-9", true, true)]
    // a domain the archive has never seen, beyond its start
    [InlineData("0-1-9", "0-1-9,1-1-4", "0-1-9,1-1-6", true, true)]
    public void A_closed_file_goes_up_when_it_adds_to_the_archive_and_leaves_a_gap_when_the_archive_lacks_what_came_before_it(
        string archived,
        string start,
        string end,
        bool adds,
        bool gap
    )
    {
        var closed = new ClosedBinlog(File("mysql-bin.000001", start), Maria(end));
        Assert.Equal(adds, BinlogArchivePlan.Adds(closed, Maria(archived)));
        Assert.Equal(gap, BinlogArchivePlan.LeavesGap(closed, Maria(archived)));
    }
}
