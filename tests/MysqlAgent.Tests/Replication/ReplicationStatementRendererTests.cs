using MysqlAgent.Replication;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Sql;

namespace MysqlAgent.Tests.Replication;

public class ReplicationStatementRendererTests
{
    private const string Uuid1 = "c777888a-b6df-11e2-a604-080027635ef5";

    private static readonly ReplicationSource Source = new(
        "mysql-0.mysql",
        3306,
        "repl",
        "s3cr'et",
        10,
        86400
    );

    private static readonly FilePositionStart FilePosition = new(
        BinlogCoordinates.Create("mysql-bin.000002", 329)
    );

    private static readonly MysqlGtidStart MysqlGtid = new(MysqlGtidSet.Parse($"{Uuid1}:1-40"));

    private static readonly MariaDbGtidStart MariaDbGtid = new(
        MariaDbGtidPosition.Parse("0-100-14")
    );

    private static string[] Render(
        string version,
        ReplicationStart start,
        bool tls = false,
        bool replaceGtidHistory = true
    ) =>
        ReplicationStatementRenderer
            .RenderSetup(
                ServerVersionInfo.Parse(version),
                start,
                Source,
                new ReplicationLinkOptions(tls, ReplaceGtidHistory: replaceGtidHistory)
            )
            .Select(s => s.Sql)
            .ToArray();

    [Fact]
    public void MySQL_8_4_GTID_start_resets_history_sets_gtid_purged_and_auto_positions()
    {
        Assert.Equal(
            [
                "STOP REPLICA",
                "RESET REPLICA ALL",
                "RESET BINARY LOGS AND GTIDS",
                $"SET GLOBAL gtid_purged = '{Uuid1}:1-40'",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='s3cr''et', SOURCE_CONNECT_RETRY=10, SOURCE_RETRY_COUNT=86400, GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1",
                "START REPLICA",
            ],
            Render("8.4.3", MysqlGtid)
        );
    }

    [Fact]
    public void MySQL_8_4_GTID_start_keeps_an_already_restored_history()
    {
        Assert.Equal(
            [
                "STOP REPLICA",
                "RESET REPLICA ALL",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='s3cr''et', SOURCE_CONNECT_RETRY=10, SOURCE_RETRY_COUNT=86400, GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1",
                "START REPLICA",
            ],
            Render("8.4.3", MysqlGtid, replaceGtidHistory: false)
        );
    }

    [Fact]
    public void MySQL_8_4_file_position_start_over_TLS_asks_for_SSL_instead_of_the_public_key()
    {
        Assert.Equal(
            [
                "STOP REPLICA",
                "RESET REPLICA ALL",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='s3cr''et', SOURCE_CONNECT_RETRY=10, SOURCE_RETRY_COUNT=86400, SOURCE_SSL=1, SOURCE_LOG_FILE='mysql-bin.000002', SOURCE_LOG_POS=329",
                "START REPLICA",
            ],
            Render("8.4.3", FilePosition, tls: true)
        );
    }

    [Fact]
    public void MySQL_8_0_23_uses_the_new_syntax_with_RESET_MASTER()
    {
        Assert.Equal(
            [
                "STOP REPLICA",
                "RESET REPLICA ALL",
                "RESET MASTER",
                $"SET GLOBAL gtid_purged = '{Uuid1}:1-40'",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='s3cr''et', SOURCE_CONNECT_RETRY=10, SOURCE_RETRY_COUNT=86400, GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1",
                "START REPLICA",
            ],
            Render("8.0.36-28", MysqlGtid)
        );
    }

    [Fact]
    public void MySQL_8_0_22_starts_a_replica_configured_with_CHANGE_MASTER()
    {
        Assert.Equal(
            [
                "STOP REPLICA",
                "RESET REPLICA ALL",
                "CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cr''et', MASTER_CONNECT_RETRY=10, MASTER_RETRY_COUNT=86400, GET_MASTER_PUBLIC_KEY=1, MASTER_LOG_FILE='mysql-bin.000002', MASTER_LOG_POS=329",
                "START REPLICA",
            ],
            Render("8.0.22", FilePosition)
        );
    }

    [Fact]
    public void MySQL_8_0_21_uses_SLAVE_statements()
    {
        Assert.Equal(
            [
                "STOP SLAVE",
                "RESET SLAVE ALL",
                "CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cr''et', MASTER_CONNECT_RETRY=10, MASTER_RETRY_COUNT=86400, GET_MASTER_PUBLIC_KEY=1, MASTER_LOG_FILE='mysql-bin.000002', MASTER_LOG_POS=329",
                "START SLAVE",
            ],
            Render("8.0.21", FilePosition)
        );
    }

    [Fact]
    public void MySQL_5_7_GTID_start_needs_no_public_key()
    {
        Assert.Equal(
            [
                "STOP SLAVE",
                "RESET SLAVE ALL",
                "RESET MASTER",
                $"SET GLOBAL gtid_purged = '{Uuid1}:1-40'",
                "CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cr''et', MASTER_CONNECT_RETRY=10, MASTER_RETRY_COUNT=86400, MASTER_AUTO_POSITION=1",
                "START SLAVE",
            ],
            Render("5.7.44-log", MysqlGtid)
        );
    }

    [Fact]
    public void MySQL_GTID_start_from_an_empty_set_only_resets_the_history()
    {
        Assert.Equal(
            [
                "STOP REPLICA",
                "RESET REPLICA ALL",
                "RESET BINARY LOGS AND GTIDS",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='s3cr''et', SOURCE_CONNECT_RETRY=10, SOURCE_RETRY_COUNT=86400, GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1",
                "START REPLICA",
            ],
            Render("8.4.3", new MysqlGtidStart(MysqlGtidSet.Empty))
        );
    }

    [Fact]
    public void MariaDB_GTID_start_sets_gtid_slave_pos_then_uses_slave_pos()
    {
        Assert.Equal(
            [
                "STOP SLAVE",
                "RESET SLAVE ALL",
                "SET GLOBAL gtid_slave_pos = '0-100-14'",
                "CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cr''et', MASTER_CONNECT_RETRY=10, MASTER_USE_GTID=slave_pos",
                "START SLAVE",
            ],
            Render("10.11.19-MariaDB-0+deb12u1-log", MariaDbGtid)
        );
    }

    [Fact]
    public void MariaDB_fresh_primary_clone_starts_from_an_empty_gtid_slave_pos()
    {
        Assert.Equal(
            "SET GLOBAL gtid_slave_pos = ''",
            Render("11.4.2-MariaDB", new MariaDbGtidStart(MariaDbGtidPosition.Empty))[2]
        );
    }

    [Fact]
    public void MariaDB_file_position_start_over_TLS_turns_GTID_off_explicitly()
    {
        Assert.Equal(
            [
                "STOP SLAVE",
                "RESET SLAVE ALL",
                "CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cr''et', MASTER_CONNECT_RETRY=10, MASTER_SSL=1, MASTER_LOG_FILE='mysql-bin.000002', MASTER_LOG_POS=329, MASTER_USE_GTID=no",
                "START SLAVE",
            ],
            Render("5.5.5-10.11.19-MariaDB-0+deb12u1-log", FilePosition, tls: true)
        );
    }

    [Fact]
    public void The_redacted_rendering_masks_the_password_and_nothing_else()
    {
        var statements = ReplicationStatementRenderer.RenderSetup(
            ServerVersionInfo.Parse("8.4.3"),
            MysqlGtid,
            Source,
            new ReplicationLinkOptions(UseTls: false)
        );

        var change = statements[4];
        Assert.Equal(
            "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='***', SOURCE_CONNECT_RETRY=10, SOURCE_RETRY_COUNT=86400, GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1",
            change.Redacted
        );
        Assert.Equal(change.Redacted, change.ToString());
        Assert.Equal(change.Redacted, $"{change}");
        Assert.All(
            statements,
            s => Assert.DoesNotContain("s3cr", s.ToString(), StringComparison.Ordinal)
        );
        Assert.All(statements.Where(s => s != change), s => Assert.Equal(s.Sql, s.Redacted));
    }

    [Fact]
    public void The_source_never_prints_its_password()
    {
        Assert.Equal(
            "repl@mysql-0.mysql:3306 (password '***', connect retry 10s, retry count 86400)",
            Source.ToString()
        );
    }

    [Fact]
    public void A_password_with_backslashes_follows_the_session_quote_mode()
    {
        var source = new ReplicationSource("h", 3306, "repl", @"a\b", 10, 1);
        string Change(SqlQuoteMode mode) =>
            ReplicationStatementRenderer
                .RenderSetup(
                    ServerVersionInfo.Parse("8.4.3"),
                    FilePosition,
                    source,
                    new ReplicationLinkOptions(true, mode)
                )[2]
                .Sql;

        Assert.Contains(
            @"SOURCE_PASSWORD='a\\b'",
            Change(SqlQuoteMode.BackslashEscapes),
            StringComparison.Ordinal
        );
        Assert.Contains(
            @"SOURCE_PASSWORD='a\b'",
            Change(SqlQuoteMode.NoBackslashEscapes),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void A_start_from_the_other_server_family_is_refused()
    {
        Assert.Throws<ReplicationSetupException>(() => Render("8.4.3", MariaDbGtid));
        Assert.Throws<ReplicationSetupException>(() => Render("10.11.19-MariaDB", MysqlGtid));
    }

    [Theory]
    [InlineData("5.6.51")]
    [InlineData("10.1.48-MariaDB")]
    public void Servers_older_than_the_supported_ones_are_refused(string version)
    {
        var error = Assert.Throws<ReplicationSetupException>(() => Render(version, FilePosition));
        Assert.Contains(version, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int, string, string, int, int> InvalidSources =>
        new()
        {
            { "host with a quote", "h'ost", 3306, "repl", "p", 10, 1 },
            { "empty host", "", 3306, "repl", "p", 10, 1 },
            { "port zero", "h", 0, "repl", "p", 10, 1 },
            { "port too high", "h", 65536, "repl", "p", 10, 1 },
            { "empty user", "h", 3306, "", "p", 10, 1 },
            { "user with a newline", "h", 3306, "re\npl", "p", 10, 1 },
            { "password with a newline", "h", 3306, "repl", "pa\nss", 10, 1 },
            { "password with NUL", "h", 3306, "repl", "pa\0ss", 10, 1 },
            { "connect retry zero", "h", 3306, "repl", "p", 0, 1 },
            { "negative retry count", "h", 3306, "repl", "p", 10, -1 },
        };

    [Theory]
    [MemberData(nameof(InvalidSources))]
    public void Source_values_the_server_would_reject_are_refused_before_rendering(
        string name,
        string host,
        int port,
        string user,
        string password,
        int connectRetry,
        int retryCount
    )
    {
        _ = name;
        var error = Assert.Throws<ReplicationSetupException>(() =>
            new ReplicationSource(host, port, user, password, connectRetry, retryCount)
        );
        Assert.DoesNotContain(
            "pa",
            error.Message.Replace("password", "", StringComparison.Ordinal),
            StringComparison.Ordinal
        );
    }
}
