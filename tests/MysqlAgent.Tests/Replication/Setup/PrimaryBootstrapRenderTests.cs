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

    private static string PasswordClause(string version, string password, SqlQuoteMode mode) =>
        version.Contains("MariaDB", StringComparison.Ordinal)
            ? $"IDENTIFIED BY PASSWORD {SqlLiteral.Quote(PasswordHashes.NativePassword(password), mode)}"
            : $"IDENTIFIED BY {SqlLiteral.Quote(password, mode)}";

    private static List<string> Expected(string version, string[] backupGrants, SqlQuoteMode mode)
    {
        var expected = new List<string>
        {
            $"CREATE USER IF NOT EXISTS 'repl'@'%' {PasswordClause(version, ReplicationPassword, mode)}",
            "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'",
        };
        foreach (var host in new[] { "localhost", "127.0.0.1", "::1" })
        {
            expected.Add(
                $"CREATE USER IF NOT EXISTS 'backup'@'{host}' {PasswordClause(version, BackupPassword, mode)}"
            );
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

            Assert.Equal(
                Expected(version, backupGrants, mode),
                statements.Select(s => s.Sql).ToList()
            );
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
                Assert.EndsWith(ReplicationStatement.Mask, statement.Redacted);
                Assert.DoesNotContain(
                    PasswordHashes.NativePassword(ReplicationPassword),
                    statement.Redacted,
                    StringComparison.Ordinal
                );
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

    [Fact]
    public void MariaDb_never_gets_a_password_in_clear_only_its_native_hash()
    {
        var statements = PrimaryBootstrap.Render(
            ServerVersionInfo.Parse("10.11.19-MariaDB-0+deb12u1-log"),
            Options(),
            SqlQuoteMode.BackslashEscapes
        );

        foreach (var statement in statements)
        {
            Assert.DoesNotContain("r3pl", statement.Sql, StringComparison.Ordinal);
            Assert.DoesNotContain("b4ck-up", statement.Sql, StringComparison.Ordinal);
        }

        Assert.Contains(
            statements,
            s =>
                s.Sql.EndsWith(
                    $"IDENTIFIED BY PASSWORD '{PasswordHashes.NativePassword(BackupPassword)}'",
                    StringComparison.Ordinal
                )
        );
    }

    public static TheoryData<string> Versions =>
        new() { "10.11.19-MariaDB-0+deb12u1-log", "9.7.4-2" };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Accounts_with_the_Secrets_password_and_their_grants_get_no_statement(string version)
    {
        var server = ServerVersionInfo.Parse(version);
        var statements = PrimaryBootstrap.Render(
            server,
            Options(),
            SqlQuoteMode.BackslashEscapes,
            plan => new PrimaryBootstrap.AccountState(
                "mysql_native_password",
                System.Text.Encoding.ASCII.GetBytes(PasswordHashes.NativePassword(plan.Password)),
                plan.Grants.Select(g => $"GRANT {g} TO `u`@`h`").ToList()
            )
        );

        Assert.Empty(statements);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void A_rotated_password_is_one_alter_per_account_and_no_grant(string version)
    {
        var server = ServerVersionInfo.Parse(version);
        var statements = PrimaryBootstrap.Render(
            server,
            Options(),
            SqlQuoteMode.BackslashEscapes,
            plan => new PrimaryBootstrap.AccountState(
                "mysql_native_password",
                System.Text.Encoding.ASCII.GetBytes(PasswordHashes.NativePassword("the old one")),
                plan.Grants.Select(g => $"GRANT {g} TO `u`@`h`").ToList()
            )
        );

        Assert.Equal(4, statements.Count);
        Assert.All(
            statements,
            s => Assert.StartsWith("ALTER USER ", s.Sql, StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Grants_are_found_whatever_the_order_quoting_and_line_split_of_show_grants()
    {
        string[] lines =
        [
            "GRANT RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.* TO `backup`@`localhost`",
            "GRANT BACKUP_ADMIN ON *.* TO `backup`@`localhost`",
            "GRANT SELECT ON `performance_schema`.`log_status` TO `backup`@`localhost`",
        ];

        Assert.True(
            PrimaryBootstrap.HasGrant(
                lines,
                "BACKUP_ADMIN, RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*"
            )
        );
        Assert.True(PrimaryBootstrap.HasGrant(lines, "SELECT ON performance_schema.log_status"));
        Assert.False(
            PrimaryBootstrap.HasGrant(
                lines,
                "SELECT ON performance_schema.replication_group_members"
            )
        );
        Assert.False(PrimaryBootstrap.HasGrant(lines, "REPLICATION SLAVE ON *.*"));
    }

    [Fact]
    public void The_native_hash_is_the_one_mariadb_and_mysql_compute()
    {
        // SELECT PASSWORD('secret') on MariaDB 10.11.
        Assert.Equal(
            "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7",
            PasswordHashes.NativePassword("secret")
        );
    }

    [Fact]
    public void The_sha256_crypt_digest_matches_glibcs()
    {
        // Python's crypt.crypt('Hello world!', '$5$saltstring') with glibc.
        Assert.Equal(
            "5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
            System.Text.Encoding.ASCII.GetString(
                PasswordHashes.Sha256Crypt(
                    "Hello world!"u8.ToArray(),
                    "saltstring"u8.ToArray(),
                    5000
                )
            )
        );
        Assert.Equal(
            "DmTBfvI4RTUmKdHmIidkEEsOT/XVNd27/SMvSRhGiE0",
            System.Text.Encoding.ASCII.GetString(
                PasswordHashes.Sha256Crypt(
                    "r3pl'pa\\ss"u8.ToArray(),
                    "0123456789abcdef"u8.ToArray(),
                    5000
                )
            )
        );
    }
}
