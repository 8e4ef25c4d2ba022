using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Sql;

namespace MysqlAgent.Tests.Replication;

/// <summary>With the set's CA the replica connects over TLS and verifies the source's certificate and name, in each dialect.</summary>
public sealed class ReplicationTlsRenderingTests
{
    private static readonly ReplicationSource Source = new(
        "mysql-0.mysql",
        3306,
        "repl",
        "s3cr'et",
        connectRetrySeconds: 10,
        retryCount: 86400
    );

    private static string RenderChange(string version, ReplicationStart start, string? caFile) =>
        ReplicationStatementRenderer
            .RenderSetup(
                ServerVersionInfo.Parse(version),
                start,
                Source,
                new ReplicationLinkOptions(UseTls: caFile is not null, SslCaFile: caFile)
            )
            .Single(s => s.Sql.StartsWith("CHANGE ", StringComparison.Ordinal))
            .Sql;

    private static readonly MariaDbGtidStart MariaDbGtid = new(
        MariaDbGtidPosition.Parse("0-100-14")
    );

    private static readonly MysqlGtidStart MysqlGtid = new(
        MysqlGtidSet.Parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-40")
    );

    [Fact]
    public void MariaDB_with_a_CA_connects_with_MASTER_SSL_the_CA_and_server_certificate_verification()
    {
        Assert.Equal(
            "CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cr''et', MASTER_CONNECT_RETRY=10, MASTER_SSL=1, MASTER_SSL_CA='/etc/mysql/tls/ca.crt', MASTER_SSL_VERIFY_SERVER_CERT=1, MASTER_USE_GTID=slave_pos",
            RenderChange("10.11.19-MariaDB", MariaDbGtid, "/etc/mysql/tls/ca.crt")
        );
    }

    [Fact]
    public void MySQL_8_4_with_a_CA_connects_with_SOURCE_SSL_the_CA_and_verification_and_no_public_key_retrieval()
    {
        Assert.Equal(
            "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='s3cr''et', SOURCE_CONNECT_RETRY=10, SOURCE_RETRY_COUNT=86400, SOURCE_SSL=1, SOURCE_SSL_CA='/etc/mysql/tls/ca.crt', SOURCE_SSL_VERIFY_SERVER_CERT=1, SOURCE_AUTO_POSITION=1",
            RenderChange("8.4.3", MysqlGtid, "/etc/mysql/tls/ca.crt")
        );
    }

    [Fact]
    public void MySQL_8_0_before_8_0_23_uses_the_MASTER_names()
    {
        var sql = RenderChange("8.0.22", MysqlGtid, "/tls/ca.crt");
        Assert.Contains(
            "MASTER_SSL=1, MASTER_SSL_CA='/tls/ca.crt', MASTER_SSL_VERIFY_SERVER_CERT=1",
            sql,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("PUBLIC_KEY", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CA_path_is_quoted_as_a_literal()
    {
        Assert.Contains(
            @"MASTER_SSL_CA='/tls/it''s\\ca.crt'",
            RenderChange("10.11.19-MariaDB", MariaDbGtid, @"/tls/it's\ca.crt"),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Without_TLS_nothing_about_SSL_is_rendered()
    {
        Assert.DoesNotContain(
            "SSL",
            RenderChange("10.11.19-MariaDB", MariaDbGtid, caFile: null),
            StringComparison.Ordinal
        );
    }
}
