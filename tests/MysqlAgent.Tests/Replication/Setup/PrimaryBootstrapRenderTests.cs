using MysqlAgent.Configuration;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Setup;
using MysqlAgent.Replication.Sql;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Replication.Setup;

public sealed class PrimaryBootstrapRenderTests
{
    private const string ReplicationPassword = "r3pl'pa\\ss";
    private const string BackupPassword = "b4ck-up-secret";

    private static AgentOptions Options() =>
        AgentOptionsReader.Read(
            OptionValues.Parse(
                ["--hostname", "mysql-0"],
                new AgentSecrets(
                    AdminPassword: "admin",
                    ReplicationPassword: ReplicationPassword,
                    BackupPassword: BackupPassword
                ).Environment
            )
        );

    private static string[] Users(SqlQuoteMode mode)
    {
        var repl = SqlLiteral.Quote(ReplicationPassword, mode);
        return
        [
            $"CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY {repl}",
            $"ALTER USER 'repl'@'%' IDENTIFIED BY {repl}",
            "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'",
        ];
    }

    private static List<string> Expected(string[] backupGrants, SqlQuoteMode mode)
    {
        var backup = SqlLiteral.Quote(BackupPassword, mode);
        var expected = Users(mode).ToList();
        foreach (var host in new[] { "localhost", "127.0.0.1", "::1" })
        {
            expected.Add($"CREATE USER IF NOT EXISTS 'backup'@'{host}' IDENTIFIED BY {backup}");
            expected.Add($"ALTER USER 'backup'@'{host}' IDENTIFIED BY {backup}");
            expected.AddRange(backupGrants.Select(g => $"GRANT {g} TO 'backup'@'{host}'"));
        }

        return expected;
    }

    public static TheoryData<string, string[]> Servers =>
        new()
        {
            {
                "10.11.19-MariaDB-0+deb12u1-log",
                ["RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR ON *.*"]
            },
            { "10.4.34-MariaDB", ["RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*"] },
            {
                "8.4.3",
                [
                    "BACKUP_ADMIN, RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*",
                    "SELECT ON performance_schema.log_status",
                    "SELECT ON performance_schema.replication_group_members",
                    "SELECT ON performance_schema.keyring_component_status",
                ]
            },
            {
                "8.0.36-28",
                [
                    "BACKUP_ADMIN, RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*",
                    "SELECT ON performance_schema.log_status",
                    "SELECT ON performance_schema.replication_group_members",
                    "SELECT ON performance_schema.keyring_component_status",
                ]
            },
            {
                "8.0.20",
                [
                    "BACKUP_ADMIN, RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*",
                    "SELECT ON performance_schema.log_status",
                    "SELECT ON performance_schema.replication_group_members",
                ]
            },
            { "5.7.44-log", ["RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*"] },
        };

    [Theory]
    [MemberData(nameof(Servers))]
    public void Primary_users_get_exactly_the_least_privileges_of_each_server(
        string version,
        string[] backupGrants
    )
    {
        foreach (
            var mode in new[] { SqlQuoteMode.BackslashEscapes, SqlQuoteMode.NoBackslashEscapes }
        )
        {
            var statements = PrimaryBootstrap.Render(
                ServerVersionInfo.Parse(version),
                Options(),
                mode
            );

            Assert.Equal(Expected(backupGrants, mode), statements.Select(s => s.Sql).ToList());
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public void Redacted_statements_mask_every_password_and_keep_everything_else(
        string version,
        string[] backupGrants
    )
    {
        _ = backupGrants;
        var statements = PrimaryBootstrap.Render(
            ServerVersionInfo.Parse(version),
            Options(),
            SqlQuoteMode.BackslashEscapes
        );

        foreach (var statement in statements)
        {
            Assert.DoesNotContain("r3pl", statement.Redacted, StringComparison.Ordinal);
            Assert.DoesNotContain("b4ck-up", statement.Redacted, StringComparison.Ordinal);
            Assert.DoesNotContain("r3pl", statement.ToString(), StringComparison.Ordinal);
            if (statement.Sql.Contains("IDENTIFIED BY", StringComparison.Ordinal))
            {
                Assert.EndsWith($"IDENTIFIED BY {ReplicationStatement.Mask}", statement.Redacted);
                Assert.Equal(
                    statement.Sql[
                        ..statement.Sql.IndexOf("IDENTIFIED BY", StringComparison.Ordinal)
                    ],
                    statement.Redacted[
                        ..statement.Redacted.IndexOf("IDENTIFIED BY", StringComparison.Ordinal)
                    ]
                );
            }
            else
            {
                Assert.Equal(statement.Sql, statement.Redacted);
            }
        }
    }

    [Fact]
    public void No_account_gets_all_privileges_super_or_a_grant_option()
    {
        foreach (var (version, _) in Servers.Select(row => ((string)row[0], row[1])))
        {
            var statements = PrimaryBootstrap.Render(
                ServerVersionInfo.Parse(version),
                Options(),
                SqlQuoteMode.BackslashEscapes
            );
            foreach (var statement in statements)
            {
                Assert.DoesNotContain("ALL", statement.Sql, StringComparison.Ordinal);
                Assert.DoesNotContain("SUPER", statement.Sql, StringComparison.Ordinal);
                Assert.DoesNotContain("GRANT OPTION", statement.Sql, StringComparison.Ordinal);
            }
        }
    }
}
