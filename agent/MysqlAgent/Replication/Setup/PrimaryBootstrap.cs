using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Sql;
using MySqlConnector;

namespace MysqlAgent.Replication.Setup;

/// <summary>
/// On the primary: the replication and backup users exist with least privileges and the passwords
/// from the Secret (replicas get them through replication), and the server is writable.
/// </summary>
/// <remarks>
/// Every statement here is binary-logged, so two rules hold. No password in clear: MariaDB logs the
/// statement as sent, so it gets the <c>mysql_native_password</c> hash (<c>IDENTIFIED BY PASSWORD
/// '*…'</c>); MySQL rewrites <c>IDENTIFIED BY</c> with the hash before it logs it. And nothing when
/// nothing changed: each account's stored hash and grants are read first, so a restart with the same
/// Secret writes no transaction, and a rotated Secret is one <c>ALTER USER</c> per account.
/// </remarks>
public static partial class PrimaryBootstrap
{
    /// <summary>Hosts the backup user may connect from: the backup tool always runs beside mysqld.</summary>
    private static readonly string[] BackupHosts = ["localhost", "127.0.0.1", "::1"];

    /// <summary>One account as the Secret and the server's version want it.</summary>
    public sealed record AccountPlan(
        string User,
        string Host,
        string Password,
        IReadOnlyList<string> Grants
    )
    {
        public override string ToString() => $"{User}@{Host}";
    }

    /// <summary>One account as the server has it: its plugin, stored hash and <c>SHOW GRANTS</c> lines.</summary>
    public sealed record AccountState(
        string Plugin,
        byte[] AuthenticationString,
        IReadOnlyList<string> GrantLines
    );

    public static IReadOnlyList<AccountPlan> Accounts(
        ServerVersionInfo server,
        AgentOptions options
    )
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        var accounts = new List<AccountPlan>
        {
            new(
                options.ReplicationUser,
                "%",
                options.ReplicationPassword!.Value,
                ["REPLICATION SLAVE ON *.*"]
            ),
        };
        var backupGrants = BackupGrants(server).ToList();
        accounts.AddRange(
            BackupHosts.Select(host => new AccountPlan(
                options.BackupUser,
                host,
                options.BackupPassword!.Value,
                backupGrants
            ))
        );
        return accounts;
    }

    /// <summary>The statements for a server that has none of the accounts yet.</summary>
    public static IReadOnlyList<ReplicationStatement> Render(
        ServerVersionInfo server,
        AgentOptions options,
        SqlQuoteMode mode
    ) => Render(server, options, mode, _ => null);

    /// <summary>
    /// The statements that bring the accounts to the plan, given what the server has
    /// (<paramref name="current"/> answers null for an account that does not exist): nothing for an
    /// account that is already right.
    /// </summary>
    public static IReadOnlyList<ReplicationStatement> Render(
        ServerVersionInfo server,
        AgentOptions options,
        SqlQuoteMode mode,
        Func<AccountPlan, AccountState?> current
    )
    {
        ArgumentNullException.ThrowIfNull(current);
        var statements = new List<ReplicationStatement>();
        foreach (var plan in Accounts(server, options))
        {
            var account = Account(plan.User, plan.Host, mode);
            var state = current(plan);
            if (state is null)
            {
                statements.Add(
                    WithPassword(
                        $"CREATE USER IF NOT EXISTS {account}",
                        server,
                        plan.Password,
                        mode
                    )
                );
            }
            else if (
                !PasswordHashes.Matches(state.Plugin, state.AuthenticationString, plan.Password)
            )
            {
                // A rotated Secret.
                statements.Add(WithPassword($"ALTER USER {account}", server, plan.Password, mode));
            }

            foreach (var grant in plan.Grants)
            {
                if (state is null || !HasGrant(state.GrantLines, grant))
                {
                    statements.Add(ReplicationStatement.Plain($"GRANT {grant} TO {account}"));
                }
            }
        }

        return statements;
    }

    public static async Task RunAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        AgentOptions options,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(server);
        var mode = await SqlExecution
            .QuoteModeAsync(connection, cancellationToken)
            .ConfigureAwait(false);
        await ServerRoleSettings
            .MakeWritableAsync(connection, server, cancellationToken)
            .ConfigureAwait(false);
        var states = new Dictionary<string, AccountState?>(StringComparer.Ordinal);
        foreach (var plan in Accounts(server, options))
        {
            states[plan.ToString()] = await ReadStateAsync(
                    connection,
                    server,
                    plan,
                    mode,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }

        var statements = Render(server, options, mode, plan => states[plan.ToString()]);
        ReplicationLog.PrimaryAccounts(
            logger,
            statements.Count == 0
                ? "all present with the Secret's passwords and their grants: nothing written"
                : $"{statements.Count} statement(s) to run"
        );
        foreach (var statement in statements)
        {
            ReplicationLog.Executing(logger, statement.Redacted);
            await SqlExecution
                .ExecuteAsync(connection, statement.Sql, cancellationToken)
                .ConfigureAwait(false);
        }

        ReplicationLog.PrimaryReady(
            logger,
            $"{options.ReplicationUser}@%, {options.BackupUser}@{string.Join("/", BackupHosts)}"
        );
    }

    /// <summary>Whether <c>SHOW GRANTS</c> holds every privilege of <paramref name="grant"/> (<c>PRIVS ON OBJECT</c>) on its object.</summary>
    public static bool HasGrant(IEnumerable<string> grantLines, string grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var split = grant.LastIndexOf(" ON ", StringComparison.Ordinal);
        var wanted = Privileges(grant[..split]);
        var target = Normalize(grant[(split + 4)..]);
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in grantLines)
        {
            var match = GrantLine().Match(line);
            if (match.Success && Normalize(match.Groups["object"].Value) == target)
            {
                held.UnionWith(Privileges(match.Groups["privileges"].Value));
            }
        }

        return held.Contains("ALL PRIVILEGES")
            || wanted.All(p => held.Contains(p) || Aliases(p).Any(held.Contains));
    }

    private static IEnumerable<string> Privileges(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToUpperInvariant());

    private static string Normalize(string name) =>
        name.Replace("`", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    /// <summary>Other names a server may show a privilege under.</summary>
    private static IEnumerable<string> Aliases(string privilege) =>
        privilege switch
        {
            "REPLICATION SLAVE" => ["REPLICATION REPLICA"],
            "SLAVE MONITOR" => ["REPLICA MONITOR"],
            "REPLICATION CLIENT" => ["BINLOG MONITOR"],
            _ => [],
        };

    private static async Task<AccountState?> ReadStateAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        AccountPlan plan,
        SqlQuoteMode mode,
        CancellationToken cancellationToken
    )
    {
        // MariaDB before 10.4 keeps a native hash in Password with an empty authentication_string.
        var sql =
            server.Flavor == ServerFlavor.MariaDb
                ? "SELECT plugin, HEX(IF(authentication_string = '', Password, authentication_string)) FROM mysql.user WHERE User = @user AND Host = @host"
                : "SELECT plugin, HEX(authentication_string) FROM mysql.user WHERE User = @user AND Host = @host";
        string plugin;
        byte[] stored;
        await using (var command = new MySqlCommand(sql, connection))
        {
            command.Parameters.AddWithValue("@user", plan.User);
            command.Parameters.AddWithValue("@host", plan.Host);
            await using var reader = await command
                .ExecuteReaderAsync(cancellationToken)
                .ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            plugin = reader.IsDBNull(0) ? "" : reader.GetString(0);
            stored = reader.IsDBNull(1) ? [] : Convert.FromHexString(reader.GetString(1));
        }

        var grants = new List<string>();
        await using (
            var command = new MySqlCommand(
                $"SHOW GRANTS FOR {Account(plan.User, plan.Host, mode)}",
                connection
            )
        )
        {
            await using var reader = await command
                .ExecuteReaderAsync(cancellationToken)
                .ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                grants.Add(reader.GetString(0));
            }
        }

        return new AccountState(plugin, stored, grants);
    }

    /// <summary>What the backup tool needs and nothing more, per the tools' documentation.</summary>
    private static IEnumerable<string> BackupGrants(ServerVersionInfo server)
    {
        if (server.Flavor == ServerFlavor.MariaDb)
        {
            yield return server.Version >= new Version(10, 5, 9)
                ? "RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR ON *.*"
                : "RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*";
            yield break;
        }

        if (server.Version < new Version(8, 0, 0))
        {
            yield return "RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*";
            yield break;
        }

        yield return "BACKUP_ADMIN, RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT ON *.*";
        yield return "SELECT ON performance_schema.log_status";
        yield return "SELECT ON performance_schema.replication_group_members";
        if (server.Version >= new Version(8, 0, 24))
        {
            yield return "SELECT ON performance_schema.keyring_component_status";
        }
    }

    private static string Account(string user, string host, SqlQuoteMode mode) =>
        $"{SqlLiteral.Quote(user, mode)}@{SqlLiteral.Quote(host, mode)}";

    /// <summary>
    /// <paramref name="prefix"/> with the password: the native hash for MariaDB, which would log a
    /// clear password as sent; the password for MySQL, which logs its own hash instead.
    /// </summary>
    private static ReplicationStatement WithPassword(
        string prefix,
        ServerVersionInfo server,
        string password,
        SqlQuoteMode mode
    ) =>
        server.Flavor == ServerFlavor.MariaDb
            ? new ReplicationStatement(
                $"{prefix} IDENTIFIED BY PASSWORD {SqlLiteral.Quote(PasswordHashes.NativePassword(password), mode)}",
                $"{prefix} IDENTIFIED BY PASSWORD {ReplicationStatement.Mask}"
            )
            : new ReplicationStatement(
                $"{prefix} IDENTIFIED BY {SqlLiteral.Quote(password, mode)}",
                $"{prefix} IDENTIFIED BY {ReplicationStatement.Mask}"
            );

    [GeneratedRegex(
        @"^GRANT (?<privileges>.+?) ON (?<object>\S+) TO ",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex GrantLine();
}
