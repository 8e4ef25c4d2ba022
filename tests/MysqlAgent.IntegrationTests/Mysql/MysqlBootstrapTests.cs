using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.IntegrationTests.Replication;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>The primary's user bootstrap against real MySQL: accepted, no password in the binary log, idempotent.</summary>
[Collection(MysqlContainers.Name)]
[Trait("Category", "Slow")]
public sealed class MysqlBootstrapTests(MysqlEngine engine, ITestOutputHelper output)
{
    [MysqlFact(Timeout = 900_000)]
    public async Task The_bootstrap_is_accepted_logs_no_password_writes_nothing_again_and_applies_a_rotation_once()
    {
        await using var primary = await engine.StartAsync(1);
        output.WriteLine($"{primary}: {await primary.ScalarAsync<string>("SELECT VERSION()")}");
        var dataDir = Directory.CreateTempSubdirectory("mysql-agent-mysql-primary-").FullName;
        var arguments = MysqlAgents.Primary(primary, dataDir);

        await MysqlAgents.BootstrapAsync(arguments);

        // Accepted: the accounts log in, with their grants.
        Assert.True(await primary.CanLogInAsync("repl", AgentArguments.ReplicationPassword));
        // The backup user exists for the pod's own addresses only: log in from inside the container,
        // over TCP to 127.0.0.1 as the backup tool does.
        var backupLogin = await primary.Container.ExecAsync([
            "mysql",
            "--no-defaults",
            "--protocol=TCP",
            "--host=127.0.0.1",
            "--user=backup",
            "--password=" + AgentArguments.BackupPassword,
            "--execute=SELECT CURRENT_USER()",
        ]);
        Assert.True(backupLogin.ExitCode == 0, backupLogin.Stderr);
        Assert.Contains("backup@127.0.0.1", backupLogin.Stdout, StringComparison.Ordinal);
        Assert.False(await primary.CanLogInAsync("backup", AgentArguments.BackupPassword));
        var grants = string.Join(
            "\n",
            (await primary.RowsAsync("SHOW GRANTS FOR 'backup'@'127.0.0.1'")).Select(r =>
                r.Values.Single()
            )
        );
        output.WriteLine(grants);
        Assert.Contains("BACKUP_ADMIN", grants, StringComparison.Ordinal);
        Assert.Contains("`performance_schema`.`log_status`", grants, StringComparison.Ordinal);
        Assert.Equal(
            "caching_sha2_password",
            await primary.ScalarAsync<string>(
                "SELECT plugin FROM mysql.user WHERE User = 'repl' AND Host = '%'"
            )
        );

        // No password in clear in any binlog event: MySQL logs the hash.
        var events = await primary.BinlogEventsAsync();
        output.WriteLine(events);
        Assert.DoesNotContain(AgentArguments.ReplicationPassword, events, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentArguments.BackupPassword, events, StringComparison.Ordinal);
        Assert.Contains("CREATE USER", events, StringComparison.Ordinal);
        Assert.Contains(
            "IDENTIFIED WITH 'caching_sha2_password' AS",
            events,
            StringComparison.Ordinal
        );

        // A restart with the same Secret writes nothing.
        var before = await primary.GtidExecutedAsync();
        await MysqlAgents.BootstrapAsync(
            arguments with
            {
                HttpPort = FreePorts.Next(),
                BackupPort = FreePorts.Next(),
            }
        );
        Assert.Equal(before, await primary.GtidExecutedAsync());

        // A rotated Secret is applied once: one ALTER USER, then nothing again.
        var rotated = arguments with
        {
            ReplicationPasswordValue = "rotated-'secret-3",
            HttpPort = FreePorts.Next(),
            BackupPort = FreePorts.Next(),
        };
        await MysqlAgents.BootstrapAsync(rotated);
        var afterRotation = await primary.GtidExecutedAsync();
        Assert.NotEqual(before, afterRotation);
        Assert.True(await primary.CanLogInAsync("repl", "rotated-'secret-3"));
        Assert.False(await primary.CanLogInAsync("repl", AgentArguments.ReplicationPassword));
        var rotatedEvents = await primary.BinlogEventsAsync();
        Assert.Equal(
            1,
            rotatedEvents[events.Length..]
                .Split('\n')
                .Count(line => line.Contains("ALTER USER", StringComparison.Ordinal))
        );
        Assert.DoesNotContain("rotated-", rotatedEvents, StringComparison.Ordinal);
        await MysqlAgents.BootstrapAsync(
            rotated with
            {
                HttpPort = FreePorts.Next(),
                BackupPort = FreePorts.Next(),
            }
        );
        Assert.Equal(afterRotation, await primary.GtidExecutedAsync());
        Directory.Delete(dataDir, recursive: true);
    }
}
