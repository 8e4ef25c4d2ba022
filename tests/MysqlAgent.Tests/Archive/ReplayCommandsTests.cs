using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Tests.Archive;

public sealed class ReplayCommandsTests
{
    private const string MysqlSet = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57";

    [Fact]
    public void The_mariadb_decoder_starts_after_the_reached_position_and_stops_inclusively_at_a_gtid()
    {
        Assert.Equal(
            ["--no-defaults", "--start-position=0-1-120", "--stop-position=0-1-125", "/s/f"],
            ReplayCommands.DecoderArguments(
                "mariadb",
                "/s/f",
                Position("mariadb", "0-1-120"),
                new RestoreTarget.ToGtid(Position("mariadb", "0-1-125")),
                last: true
            )
        );
        Assert.Equal(
            ["--no-defaults", "--start-position=0-1-120", "/s/f"],
            ReplayCommands.DecoderArguments(
                "mariadb",
                "/s/f",
                Position("mariadb", "0-1-120"),
                new RestoreTarget.ToGtid(Position("mariadb", "0-1-125")),
                last: false
            )
        );
    }

    [Fact]
    public void A_backup_at_no_gtid_replays_from_the_files_start()
    {
        Assert.Equal(
            ["--no-defaults", "/s/f"],
            ReplayCommands.DecoderArguments(
                "mariadb",
                "/s/f",
                BinlogCoverage.Empty("mariadb"),
                new RestoreTarget.Latest(),
                last: true
            )
        );
    }

    [Theory]
    [InlineData("mariadb", "0-1-120", "--start-position=0-1-120")]
    [InlineData("mysql", MysqlSet, "--exclude-gtids=" + MysqlSet)]
    public void A_time_target_stops_the_decoder_one_second_after_it_in_utc(
        string flavour,
        string from,
        string start
    )
    {
        var target = new RestoreTarget.ToTime(
            new DateTimeOffset(2026, 12, 7, 14, 3, 0, 500, TimeSpan.FromHours(1))
        );

        Assert.Equal(
            ["--no-defaults", start, "--stop-datetime=2026-12-07 13:03:01", "/s/f"],
            ReplayCommands.DecoderArguments(flavour, "/s/f", Position(flavour, from), target, false)
        );
        Assert.Equal("UTC", ReplayCommands.DecoderEnvironment["TZ"]);
    }

    [Fact]
    public void The_mariadb_replay_server_takes_no_network_no_grants_and_the_sets_binlog_name()
    {
        Assert.Equal(
            [
                "--no-defaults",
                "--datadir=/d",
                "--socket=/s/replay.sock",
                "--pid-file=/s/replay.pid",
                "--skip-networking",
                "--skip-grant-tables",
                "--log-bin=mysql-bin",
                "--server-id=100",
                "--max-allowed-packet=1G",
                "--user=root",
            ],
            ReplayCommands.ServerArguments(
                "mariadb",
                "/d",
                "/s/replay.sock",
                "/s/replay.pid",
                100,
                runningAsRoot: true
            )
        );
    }

    [Fact]
    public void The_mysql_replay_server_has_gtid_mode_on()
    {
        var arguments = ReplayCommands.ServerArguments("mysql", "/d", "/s/r", "/s/p", 7, false);

        Assert.Contains("--gtid-mode=ON", arguments);
        Assert.Contains("--enforce-gtid-consistency=ON", arguments);
        Assert.Contains("--skip-grant-tables", arguments);
        Assert.Contains("--skip-networking", arguments);
        Assert.DoesNotContain("--user=root", arguments);
    }

    [Theory]
    [InlineData("mariadb", "0-100-55", "RESET MASTER", "SET GLOBAL gtid_binlog_state = '0-100-55'")]
    [InlineData(
        "mysql",
        MysqlSet,
        "RESET BINARY LOGS AND GTIDS",
        "SET GLOBAL gtid_purged = '" + MysqlSet + "'"
    )]
    public void The_prelude_makes_the_replayed_gtids_continue_the_backups(
        string flavour,
        string position,
        string reset,
        string set
    )
    {
        Assert.Equal([reset, set], ReplayCommands.Prelude(Position(flavour, position)));
    }

    [Fact]
    public void The_session_reports_the_binlog_end_and_the_gtid_position_reached()
    {
        var outcome = BinlogReplay.ParseOutcome(
            "mariadb",
            ["mysql-bin.000001\t2345", "mysql-agent-reached\t0-100-57"],
            "mariadb"
        );

        Assert.Equal(
            new BinlogReplayOutcome(Position("mariadb", "0-100-57"), "mysql-bin.000001", 2345),
            outcome
        );
        var e = Assert.Throws<RestoreFailedException>(() =>
            BinlogReplay.ParseOutcome("mariadb", ["ERROR"], "mariadb")
        );
        Assert.Contains("did not report the position reached", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mariadb", "mariadbd", "mariadb-binlog", "mariadb")]
    [InlineData("mysql", "mysqld", "mysqlbinlog", "mysql")]
    public void The_tools_default_by_flavour(
        string flavour,
        string server,
        string decoder,
        string client
    )
    {
        var options = MysqlAgent.Tests.Backup.TestOptions.Create();
        Assert.Equal(new ReplayTools(server, decoder, client), ReplayTools.For(flavour, options));
        Assert.Equal(
            "/opt/mysqld",
            ReplayTools.For(flavour, options with { MysqldPath = "/opt/mysqld" }).Server
        );
    }

    private static BinlogCoverage Position(string flavour, string text) =>
        BinlogCoverage.Parse(flavour, text);
}
