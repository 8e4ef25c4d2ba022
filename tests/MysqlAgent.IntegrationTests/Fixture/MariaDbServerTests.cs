using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlAgent.IntegrationTests.Fixture;

/// <summary>The throwaway-server fixture itself: every later integration test stands on it.</summary>
[Trait("Category", "Slow")]
public sealed class MariaDbServerTests
{
    private const int Generous = 240_000; // shared 2-core machines can be slow

    [Fact(Timeout = Generous)]
    public async Task A_fresh_server_answers_and_reports_the_server_id_and_binary_log_it_was_given()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 107, GtidStrictMode = true }
        );

        Assert.Equal(1, await server.ScalarAsync<int>("SELECT 1"));
        Assert.Equal(107L, await server.ScalarAsync<long>("SELECT @@server_id"));
        Assert.Equal(1L, await server.ScalarAsync<long>("SELECT @@log_bin"));
        Assert.Equal(1L, await server.ScalarAsync<long>("SELECT @@log_slave_updates"));
        Assert.Equal(1L, await server.ScalarAsync<long>("SELECT @@gtid_strict_mode"));
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT @@read_only"));
        Assert.Equal(server.Port, await server.ScalarAsync<int>("SELECT @@port"));
        Assert.Contains("MariaDB", await server.ScalarAsync<string>("SELECT VERSION()"));
    }

    [Fact(Timeout = Generous)]
    public async Task A_server_asked_for_no_binary_log_and_read_only_reports_both()
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions
            {
                ServerId = 2,
                LogBin = false,
                ReadOnly = true,
            }
        );

        Assert.Equal(2L, await server.ScalarAsync<long>("SELECT @@server_id"));
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT @@log_bin"));
        Assert.Equal(1L, await server.ScalarAsync<long>("SELECT @@read_only"));
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT @@gtid_strict_mode"));
    }

    [Fact(Timeout = Generous)]
    public async Task Three_servers_run_at_once_and_share_no_data()
    {
        await using var servers = await MariaDbServers.StartAsync(3);

        Assert.Equal(3, servers.Select(s => s.Port).Distinct().Count());
        Assert.Equal(3, servers.Select(s => s.DataDir).Distinct().Count());
        Assert.Equal(3, servers.Select(s => s.ProcessId).Distinct().Count());

        await servers[0]
            .ExecuteAsync(
                "CREATE DATABASE only_here; CREATE TABLE only_here.t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO only_here.t VALUES (1)"
            );

        Assert.Equal(1L, await servers[0].ScalarAsync<long>("SELECT COUNT(*) FROM only_here.t"));
        foreach (var other in servers.Skip(1))
        {
            Assert.Equal(
                0L,
                await other.ScalarAsync<long>(
                    "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'only_here'"
                )
            );
        }
        for (var i = 0; i < servers.Count; i++)
        {
            Assert.Equal(i + 1L, await servers[i].ScalarAsync<long>("SELECT @@server_id"));
        }
    }

    [Fact(Timeout = Generous)]
    public async Task When_one_of_several_servers_cannot_start_the_others_are_disposed()
    {
        var badOption = "--no-such-option-" + Guid.NewGuid().ToString("N");

        // Server ids no other test uses: tests running beside this one own folders of their own.
        await Assert.ThrowsAsync<MariaDbServerStartException>(() =>
            MariaDbServers.StartAsync([
                new MariaDbServerOptions { ServerId = 7001 },
                new MariaDbServerOptions { ServerId = 7002, ExtraArgs = [badOption] },
            ])
        );

        Assert.DoesNotContain(
            Directory.GetDirectories(RootFolderOfAll),
            folder => LogMentions(folder, badOption) || OwnedByThisRunWithServerId(folder, 7001)
        );
    }

    [Fact(Timeout = Generous)]
    public async Task Stopping_and_starting_again_keeps_the_data_the_port_and_the_password()
    {
        await using var server = await MariaDbServer.StartAsync(new MariaDbServerOptions());
        await CreateRowsAsync(server, 3);
        var port = server.Port;
        var firstPid = server.ProcessId;

        await server.StopAsync();
        Assert.False(server.IsRunning);
        Assert.False(IsAlive(firstPid));

        await server.StartAgainAsync();

        Assert.Equal(port, server.Port);
        Assert.NotEqual(firstPid, server.ProcessId);
        Assert.Contains("Shutdown complete", await File.ReadAllTextAsync(server.ErrorLogPath));
        Assert.DoesNotContain("crash recovery", await File.ReadAllTextAsync(server.ErrorLogPath));
        Assert.Equal(3L, await server.ScalarAsync<long>("SELECT COUNT(*) FROM kept.t"));
    }

    [Fact(Timeout = Generous)]
    public async Task A_killed_server_recovers_on_the_next_start_with_every_committed_row()
    {
        await using var server = await MariaDbServer.StartAsync(new MariaDbServerOptions());
        await CreateRowsAsync(server, 100);
        var pid = server.ProcessId;

        await server.KillAsync();
        Assert.False(server.IsRunning);
        Assert.False(IsAlive(pid));
        await Assert.ThrowsAnyAsync<MySqlException>(() => server.ScalarAsync<int>("SELECT 1"));

        await server.StartAgainAsync();

        Assert.Equal(100L, await server.ScalarAsync<long>("SELECT COUNT(*) FROM kept.t"));
        Assert.Contains("crash recovery", await File.ReadAllTextAsync(server.ErrorLogPath));
    }

    [Fact(Timeout = Generous)]
    public async Task Disposing_a_server_ends_its_process_and_deletes_its_folder()
    {
        var server = await MariaDbServer.StartAsync(new MariaDbServerOptions());
        var pid = server.ProcessId;
        Assert.True(IsAlive(pid));
        Assert.True(Directory.Exists(server.DataDir));

        await server.DisposeAsync();

        Assert.False(IsAlive(pid));
        Assert.False(Directory.Exists(server.RootFolder));
        Assert.False(Directory.Exists(server.DataDir));
        await server.DisposeAsync(); // twice is harmless
    }

    [Fact(Timeout = Generous)]
    public async Task Root_has_a_password_and_there_are_no_anonymous_users()
    {
        await using var server = await MariaDbServer.StartAsync(new MariaDbServerOptions());

        Assert.False(string.IsNullOrEmpty(server.RootPassword));
        Assert.Equal(
            0L,
            await server.ScalarAsync<long>("SELECT COUNT(*) FROM mysql.user WHERE User = ''")
        );
        Assert.Equal(
            0L,
            await server.ScalarAsync<long>(
                "SELECT COUNT(*) FROM mysql.user WHERE User = 'root' AND Host IN ('localhost', '127.0.0.1', '%') AND authentication_string = ''"
            )
        );
        await using var withoutPassword = new MySqlConnection(
            server.ConnectionStringFor("root", null)
        );
        var denied = await Assert.ThrowsAsync<MySqlException>(() => withoutPassword.OpenAsync());
        Assert.Equal(MySqlErrorCode.AccessDenied, denied.ErrorCode);
    }

    [Fact(Timeout = Generous)]
    public async Task A_replication_user_for_any_host_can_log_in_over_127_0_0_1()
    {
        await using var server = await MariaDbServer.StartAsync(new MariaDbServerOptions());
        await server.ExecuteAsync(
            "CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-secret'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'"
        );

        await using var repl = new MySqlConnection(
            server.ConnectionStringFor("repl", "repl-secret")
        );
        await repl.OpenAsync();
        await using var whoAmI = new MySqlCommand("SELECT CURRENT_USER()", repl);

        Assert.Equal("repl@%", await whoAmI.ExecuteScalarAsync());
    }

    [Fact(Timeout = Generous)]
    public async Task A_copied_datadir_boots_with_the_donors_rows_and_password()
    {
        await using var donor = await MariaDbServer.StartAsync(new MariaDbServerOptions());
        await CreateRowsAsync(donor, 5);
        await donor.StopAsync();
        var copy = Path.Combine(
            Path.GetTempPath(),
            "mysql-agent-tests",
            "copy-" + Guid.NewGuid().ToString("N")
        );
        CopyFolder(donor.DataDir, copy);

        await using var clone = await MariaDbServer.StartAsync(
            new MariaDbServerOptions
            {
                ServerId = 2,
                DataDir = copy,
                RootPassword = donor.RootPassword,
                DeleteDataDirOnDispose = true,
            }
        );

        Assert.Equal(copy, clone.DataDir);
        Assert.Equal(2L, await clone.ScalarAsync<long>("SELECT @@server_id"));
        Assert.Equal(5L, await clone.ScalarAsync<long>("SELECT COUNT(*) FROM kept.t"));
        await clone.DisposeAsync();
        Assert.False(Directory.Exists(copy));
    }

    [Fact(Timeout = Generous)]
    public async Task A_server_that_cannot_start_fails_with_its_log_and_leaves_no_folder_behind()
    {
        var badOption = "--no-such-option-" + Guid.NewGuid().ToString("N");

        var failure = await Assert.ThrowsAsync<MariaDbServerStartException>(() =>
            MariaDbServer.StartAsync(new MariaDbServerOptions { ExtraArgs = [badOption] })
        );

        Assert.Contains("exited", failure.Message);
        Assert.Contains(badOption, failure.LogTail);
        Assert.DoesNotContain(
            Directory.GetDirectories(RootFolderOfAll),
            folder => LogMentions(folder, badOption)
        );
    }

    [Fact(Timeout = Generous)]
    public async Task A_fixed_port_that_is_taken_fails_the_start_with_address_in_use()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var failure = await Assert.ThrowsAsync<MariaDbServerStartException>(() =>
            MariaDbServer.StartAsync(new MariaDbServerOptions { Port = port })
        );

        Assert.Contains("Address already in use", failure.LogTail);
    }

    private static readonly string RootFolderOfAll = Path.Combine(
        Path.GetTempPath(),
        "mysql-agent-tests"
    );

    private static async Task CreateRowsAsync(MariaDbServer server, int count)
    {
        await server.ExecuteAsync(
            "CREATE DATABASE kept; CREATE TABLE kept.t (id INT PRIMARY KEY) ENGINE=InnoDB"
        );
        await using var connection = await server.OpenConnectionAsync("kept");
        for (var id = 1; id <= count; id++)
        {
            await using var insert = new MySqlCommand("INSERT INTO t VALUES (@id)", connection);
            insert.Parameters.AddWithValue("@id", id);
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static bool OwnedByThisRunWithServerId(string folder, int serverId) =>
        Path.GetFileName(folder).StartsWith($"s{serverId}-", StringComparison.Ordinal)
        && File.Exists(Path.Combine(folder, "owner.pid"))
        && File.ReadAllText(Path.Combine(folder, "owner.pid")).Trim()
            == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    private static bool LogMentions(string folder, string text)
    {
        var log = Path.Combine(folder, "error.log");
        return File.Exists(log) && File.ReadAllText(log).Contains(text, StringComparison.Ordinal);
    }

    /// <summary>A pid that is gone, or only a zombie waiting to be reaped, no longer runs.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return !stat.Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (
            var folder in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories)
        )
        {
            Directory.CreateDirectory(folder.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
