using System.Text;
using MysqlAgent.Health;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Replication.Setup;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>
/// MariaDB logs account statements as they were sent: the primary's bootstrap must send hashes, and
/// only when something changed, or every restart writes both passwords into every binary log.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PrimaryBootstrapSecretTests(ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task No_password_reaches_the_binlog_a_second_start_writes_nothing_and_a_rotation_is_applied_once()
    {
        await using var primary = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 100 }
        );
        // The heartbeat writes a transaction a second: this test pins the bootstrap's own writes.
        var arguments = AgentArguments.For(0, primary, primary) with
        {
            Extra = ["--heartbeat-interval", "0"],
        };
        // Every statement into the general log and the slow log (no time bound) as well.
        var generalLog = Path.Combine(primary.TempDir, "general.log");
        var slowLog = Path.Combine(primary.TempDir, "slow.log");
        await primary.ExecuteAsync(
            $"SET GLOBAL general_log_file = '{generalLog}'; SET GLOBAL general_log = ON; "
                + $"SET GLOBAL slow_query_log_file = '{slowLog}'; SET GLOBAL long_query_time = 0; "
                + "SET GLOBAL slow_query_log = ON"
        );

        await BootstrapAsync(arguments);

        var events = await BinlogEventsAsync(primary);
        output.WriteLine(events);
        Assert.Contains("CREATE USER", events, StringComparison.Ordinal);
        Assert.Contains("IDENTIFIED BY PASSWORD '*", events, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentArguments.ReplicationPassword, events, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentArguments.BackupPassword, events, StringComparison.Ordinal);
        Assert.DoesNotContain("repl-Secret", events, StringComparison.Ordinal);
        await AssertLogsInAsync(primary, "repl", AgentArguments.ReplicationPassword);
        await AssertLogsInAsync(primary, "backup", AgentArguments.BackupPassword);
        foreach (var log in new[] { generalLog, slowLog })
        {
            var text = await File.ReadAllTextAsync(log);
            Assert.Contains("CREATE USER", text, StringComparison.Ordinal);
            Assert.DoesNotContain(
                AgentArguments.ReplicationPassword,
                text,
                StringComparison.Ordinal
            );
            Assert.DoesNotContain(AgentArguments.BackupPassword, text, StringComparison.Ordinal);
        }

        // A second start with the same Secret: not one transaction.
        var position = await primary.ScalarAsync<string>("SELECT @@GLOBAL.gtid_binlog_pos");
        await BootstrapAsync(Fresh(arguments));
        Assert.Equal(
            position,
            await primary.ScalarAsync<string>("SELECT @@GLOBAL.gtid_binlog_pos")
        );
        Assert.Equal(events, await BinlogEventsAsync(primary));

        // A rotated Secret: one ALTER USER, with a hash; then nothing again.
        const string rotated = "rotated-Secret'4";
        var rotation = Fresh(arguments) with { ReplicationPasswordValue = rotated };
        await BootstrapAsync(rotation);
        var afterRotation = await BinlogEventsAsync(primary);
        var added = afterRotation[events.Length..];
        output.WriteLine(added);
        Assert.Equal(
            1,
            added.Split('\n').Count(l => l.Contains("ALTER USER", StringComparison.Ordinal))
        );
        Assert.DoesNotContain("rotated-Secret", afterRotation, StringComparison.Ordinal);
        await AssertLogsInAsync(primary, "repl", rotated);
        var rotatedPosition = await primary.ScalarAsync<string>("SELECT @@GLOBAL.gtid_binlog_pos");
        Assert.NotEqual(position, rotatedPosition);
        await BootstrapAsync(Fresh(rotation));
        Assert.Equal(
            rotatedPosition,
            await primary.ScalarAsync<string>("SELECT @@GLOBAL.gtid_binlog_pos")
        );
    }

    private static AgentArguments Fresh(AgentArguments arguments) =>
        arguments with
        {
            HttpPort = FreePorts.Next(),
            BackupPort = FreePorts.Next(),
        };

    private static async Task BootstrapAsync(AgentArguments arguments)
    {
        await using var agent = await InProcessAgent.StartAsync(arguments);
        var setup = await agent.WaitForSetupAsync(TimeSpan.FromSeconds(60));
        Assert.True(
            setup.State == ReplicationSetupState.NotNeeded,
            $"primary bootstrap: {setup.StateName} {setup.Reason}"
        );
    }

    private static async Task AssertLogsInAsync(MariaDbServer server, string user, string password)
    {
        await using var connection = new MySqlConnector.MySqlConnection(
            server.ConnectionStringFor(user, password)
        );
        await connection.OpenAsync();
    }

    /// <summary>Type and Info of every event of every binary log.</summary>
    private static async Task<string> BinlogEventsAsync(MariaDbServer server)
    {
        var text = new StringBuilder();
        await using var connection = await server.OpenConnectionAsync();
        var logs = new List<string>();
        await using (var command = new MySqlConnector.MySqlCommand("SHOW BINARY LOGS", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                logs.Add(reader.GetString(0));
            }
        }

        foreach (var log in logs)
        {
            await using var command = new MySqlConnector.MySqlCommand(
                $"SHOW BINLOG EVENTS IN '{log}'",
                connection
            );
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.Append(reader.GetString(reader.GetOrdinal("Event_type")))
                    .Append(": ")
                    .AppendLine(reader.GetString(reader.GetOrdinal("Info")));
            }
        }

        return text.ToString();
    }
}
